package org.medmamba.data;

import org.medmamba.data.image.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ImageFolderDatasetTest {
    @TempDir
    Path tmp;

    static final int W = 5, H = 16; // the JDK GIF writer+reader scramble a 4-row interlaced GIF; 16 rows round-trip

    static int value(int y, int x, int c) {
        return (y * 40 + x * 17 + c * 60) % 256;
    }

    static BufferedImage rgb(int type) {
        BufferedImage b = new BufferedImage(W, H, type);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                b.setRGB(x, y, (type == BufferedImage.TYPE_INT_ARGB ? 0x80 << 24 : 0xff << 24)
                        | value(y, x, 0) << 16 | value(y, x, 1) << 8 | value(y, x, 2));
        return b;
    }

    static BufferedImage gray8() {
        BufferedImage b = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) b.getRaster().setSample(x, y, 0, value(y, x, 0));
        return b;
    }

    /** Smooth ramp for the lossy JPEG (the wrapping pattern would ring). */
    static BufferedImage grayRamp() {
        BufferedImage b = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) b.getRaster().setSample(x, y, 0, 60 + 4 * y + 3 * x);
        return b;
    }

    static BufferedImage gray16() {
        BufferedImage b = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) b.getRaster().setSample(x, y, 0, value(y, x, 0) * 257 + y);
        return b;
    }

    /** 4-colour palette: index (x + y) % 4. */
    static final int[] PALETTE = {0x000000, 0xff0000, 0x10a0f0, 0xffffff};

    static BufferedImage indexed() {
        byte[] r = new byte[4], g = new byte[4], bl = new byte[4];
        for (int i = 0; i < 4; i++) {
            r[i] = (byte) (PALETTE[i] >> 16);
            g[i] = (byte) (PALETTE[i] >> 8);
            bl[i] = (byte) PALETTE[i];
        }
        BufferedImage b = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 4, r, g, bl));
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) b.getRaster().setSample(x, y, 0, (x + y) % 4);
        return b;
    }

    static void write(BufferedImage im, String format, Path p) throws IOException {
        Files.createDirectories(p.getParent());
        assertTrue(ImageIO.write(im, format, p.toFile()), "no ImageIO writer for " + format);
    }

    @Test
    void classOrderFileOrderAndHiddenEntriesFollowTorchvision() throws IOException {
        for (String c : List.of("B", "a", "Z", "_x", "ä", ".hidden")) write(gray8(), "png", tmp.resolve(c).resolve("1.png"));
        Path a = tmp.resolve("a");
        for (String f : List.of("b.png", "sub/a.png", "sub-x/c.png", "sub/.secret.png", ".git/x.png")) write(gray8(), "png", a.resolve(f));
        Files.writeString(a.resolve("notes.txt"), "not an image");
        Files.writeString(a.resolve("scan.dcm"), "DICOM is read by ImageFiles after the DICOM merge");
        Files.writeString(tmp.resolve("stray.png"), "files directly under the root are ignored");

        ImageFolderDataset d = ImageFolderDataset.open(tmp);
        assertEquals(List.of("B", "Z", "_x", "a", "ä"), d.classes());
        List<String> inA = d.samples().stream().filter(s -> s.label() == 3).map(s -> a.relativize(s.file()).toString()).toList();
        assertEquals(List.of("1.png", "b.png", "scan.dcm", "sub/a.png", "sub-x/c.png"), inA);
        assertEquals(9, d.samples().size());
        assertTrue(d.samples().stream().allMatch(s -> s.split().isEmpty() && s.index() == 0 && s.group().equals(s.file().toString())));
    }

    @Test
    void splitFoldersGiveSplitsAndTheUnionOfClasses() throws IOException {
        write(gray8(), "png", tmp.resolve("train/cat/1.png"));
        write(gray8(), "png", tmp.resolve("train/cat/2.png"));
        write(gray8(), "png", tmp.resolve("train/dog/1.png"));
        write(gray8(), "png", tmp.resolve("valid/cat/1.png"));
        write(gray8(), "png", tmp.resolve("test/bird/1.png"));
        write(gray8(), "png", tmp.resolve("test/dog/1.png"));
        Files.createDirectories(tmp.resolve(".cache"));
        ImageFolderDataset d = ImageFolderDataset.open(tmp);
        assertEquals(List.of("bird", "cat", "dog"), d.classes());
        assertEquals(List.of("train 1", "train 1", "train 2", "val 1", "test 0", "test 2"),
                d.samples().stream().map(s -> s.split() + " " + s.label()).toList());

        Files.createDirectories(tmp.resolve("extra"));
        IOException e = assertThrows(IOException.class, () -> ImageFolderDataset.open(tmp));
        assertTrue(e.getMessage().contains("has split folders (train/val/test) and also 'extra'"), e.getMessage());
    }

    @Test
    void emptyClassFolderIsKeptWithNoSamples() throws IOException {
        Files.createDirectories(tmp.resolve("a_empty"));
        write(gray8(), "png", tmp.resolve("b/1.png"));
        ImageFolderDataset d = ImageFolderDataset.open(tmp);
        assertEquals(List.of("a_empty", "b"), d.classes());
        assertEquals(1, d.samples().size());
        assertEquals(1, d.samples().getFirst().label());
        Path none = tmp.resolve("b/1.png");
        assertTrue(assertThrows(IOException.class, () -> ImageFolderDataset.open(none)).getMessage().endsWith(": not a folder"));
    }

    @Test
    void everyFormatLoadsWithItsChannelsAndValues() throws IOException {
        Path c = tmp.resolve("c");
        write(gray8(), "png", c.resolve("gray8.png"));
        write(gray16(), "png", c.resolve("gray16.png"));
        write(rgb(BufferedImage.TYPE_INT_RGB), "png", c.resolve("rgb.png"));
        write(rgb(BufferedImage.TYPE_INT_ARGB), "png", c.resolve("rgba.png"));
        write(indexed(), "png", c.resolve("palette.png"));
        write(indexed(), "gif", c.resolve("palette.gif"));
        write(rgb(BufferedImage.TYPE_INT_RGB), "bmp", c.resolve("rgb.bmp"));
        write(rgb(BufferedImage.TYPE_INT_RGB), "tiff", c.resolve("rgb.tif"));
        write(grayRamp(), "jpeg", c.resolve("gray.jpg"));
        ImageFolderDataset d = ImageFolderDataset.open(tmp);
        assertEquals(9, d.samples().size());
        for (Sample s : d.samples()) {
            String name = s.file().getFileName().toString();
            Image im = d.load(s);
            assertEquals(H, im.height(), name);
            assertEquals(W, im.width(), name);
            int n = H * W;
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    int i = y * W + x;
                    switch (name) {
                        case "gray8.png" -> assertEquals(value(y, x, 0) / 255f, im.data()[i], 1e-7f, name); // ImageFiles multiplies by 1/255
                        case "gray16.png" -> assertEquals((value(y, x, 0) * 257 + y) / 65535f, im.data()[i], 1e-7f, name);
                        case "gray.jpg" -> assertEquals((60 + 4 * y + 3 * x) / 255f, im.data()[i], 4 / 255f, name);
                        case "palette.png", "palette.gif" -> {
                            int p = PALETTE[(x + y) % 4];
                            for (int k = 0; k < 3; k++) assertEquals(((p >> (16 - 8 * k)) & 0xff) / 255f, im.data()[k * n + i], 0f, name);
                        }
                        default -> { // rgb.png, rgba.png (alpha dropped), rgb.bmp, rgb.tif
                            for (int k = 0; k < 3; k++) assertEquals(value(y, x, k) / 255f, im.data()[k * n + i], 0f, name);
                        }
                    }
                }
            int channels = name.startsWith("gray") ? 1 : 3;
            assertEquals(channels, im.channels(), name);
        }
    }
}
