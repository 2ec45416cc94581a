package org.medmamba.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.api.MedMnistExport;
import org.medmamba.data.image.Image;
import org.medmamba.io.BadFileException;

/** IDX files as MNIST ships them (plain and .gz), their errors, and the MedMNIST-style .npz written from them. */
class IdxDatasetTest {
    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(magic);
        for (int x : dims) d.writeInt(x);
        d.write(data);
        return b.toByteArray();
    }

    static void write(Path p, byte[] bytes, boolean gz) throws IOException {
        try (OutputStream o = gz ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(bytes);
        }
    }

    /** n images of 5×3 (W×H) where pixel j of image i is (7i + j) mod 256; label i mod 4. */
    static void split(Path folder, String prefix, int n, boolean gz) throws IOException {
        byte[] px = new byte[n * 15], lab = new byte[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 15; j++) px[i * 15 + j] = (byte) (7 * i + j);
            lab[i] = (byte) (i % 4);
        }
        String ext = gz ? ".gz" : "";
        write(folder.resolve(prefix + "-images-idx3-ubyte" + ext), idx(0x803, new int[]{n, 3, 5}, px), gz);
        write(folder.resolve(prefix + "-labels-idx1-ubyte" + ext), idx(0x801, new int[]{n}, lab), gz);
    }

    @Test
    void readsTrainAndTestAsTheyShip() throws IOException {
        split(dir, "train", 40, true);
        split(dir, "t10k", 12, false);
        Dataset d = Datasets.open(dir);
        IdxDataset x = assertInstanceOf(IdxDataset.class, d);
        assertEquals("IDX (MNIST format)", Datasets.kind(d));
        assertEquals(java.util.List.of("0", "1", "2", "3"), d.classes());
        assertEquals(52, d.samples().size());
        assertEquals(40, d.samples().stream().filter(s -> s.split().equals("train")).count());
        Sample s = d.samples().stream().filter(t -> t.split().equals("test") && t.index() == 9).findFirst().orElseThrow();
        assertEquals(1, s.label());
        Image im = d.load(s);
        assertEquals(1, im.channels());
        assertEquals(3, im.height());
        assertEquals(5, im.width());
        assertEquals(((7 * 9 + 4) & 0xff) / 255f, im.data()[4], 0f);
        assertEquals(3, x.height());
    }

    @Test
    void brokenFilesAreNamed() throws IOException {
        split(dir, "train", 10, false);
        Path img = dir.resolve("train-images-idx3-ubyte");
        byte[] all = Files.readAllBytes(img);
        Files.write(img, Arrays.copyOf(all, all.length - 3));
        BadFileException e = assertThrows(BadFileException.class, () -> Datasets.open(dir));
        assertEquals(img + ": truncated (fewer bytes than its dimensions declare)", e.getMessage());
        all[3] = 0x02;
        Files.write(img, all);
        e = assertThrows(BadFileException.class, () -> Datasets.open(dir));
        assertTrue(e.getMessage().startsWith(img + ": not an IDX image file (magic 0x00000802"), e.getMessage());
        split(dir, "train", 10, false);
        Files.delete(dir.resolve("train-labels-idx1-ubyte"));
        e = assertThrows(BadFileException.class, () -> Datasets.open(dir));
        assertTrue(e.getMessage().contains("but no train-labels-idx1-ubyte[.gz]"), e.getMessage());
        split(dir, "train", 10, false);
        write(dir.resolve("train-labels-idx1-ubyte"), idx(0x801, new int[]{9}, new byte[9]), false);
        e = assertThrows(BadFileException.class, () -> Datasets.open(dir));
        assertTrue(e.getMessage().contains("9 labels for the 10 images"), e.getMessage());
    }

    @Test
    void theNpzHoldsTheSameImagesInMedMnistLayout() throws Exception {
        split(dir, "train", 40, true);
        split(dir, "t10k", 12, true);
        Path npz = dir.resolve("out.npz");
        MedMnistExport.Result r = MedMnistExport.write(dir, npz, 0.25, 0, 3);
        assertEquals(Map.of("train", 28, "val", 12, "test", 12), r.counts());   // 10 per class, 2.5 rounds to 3
        NpzDataset back = NpzDataset.open(npz);
        IdxDataset src = IdxDataset.open(dir);
        assertEquals(52, back.samples().size());
        // every val and train image is one of the IDX training images with its label, none twice
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Sample s : back.samples()) {
            float first = back.load(s).data()[0];
            int idxRow = -1;
            for (int i = 0; i < (s.split().equals("test") ? 12 : 40); i++) if (((7 * i) & 0xff) / 255f == first) idxRow = i;
            assertTrue(idxRow >= 0);
            assertEquals(idxRow % 4, s.label());
            if (!s.split().equals("test")) assertTrue(seen.add(idxRow), "row " + idxRow + " twice");
            Sample orig = new Sample(dir.resolve(s.split().equals("test") ? "t10k-images-idx3-ubyte.gz" : "train-images-idx3-ubyte.gz"), idxRow, idxRow % 4, "", "");
            assertEquals(Arrays.toString(src.load(orig).data()), Arrays.toString(back.load(s).data()));
        }
        long valPerClass = back.samples().stream().filter(s -> s.split().equals("val") && s.label() == 2).count();
        assertEquals(3, valPerClass, "stratified: round(0.25 x 10) of each class");
        MedMnistExport.write(dir, npz, 0.25, 8, 3);
        assertEquals(8, NpzDataset.open(npz).samples().stream().filter(s -> s.split().equals("test")).count());
    }
}
