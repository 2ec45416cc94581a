package org.medmamba.data;

import org.medmamba.data.image.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** MedMNIST .npz fixtures written by src/test/resources/npz/make_npz_fixtures.py. */
class NpzDatasetTest {
    static final Path DIR = Path.of("src/test/resources/npz");

    @TempDir
    Path tmp;

    static int pixel(int i, int y, int x, int c) {
        return (i * 7 + y * 3 + x + 50 * c) % 256;
    }

    @Test
    void grayStoredEntries() throws IOException {
        NpzDataset d = NpzDataset.open(DIR.resolve("gray28.npz"));
        assertEquals(List.of("0", "1", "2"), d.classes());
        assertEquals(9, d.samples().size());
        assertEquals(List.of("train", "train", "train", "train", "val", "val", "test", "test", "test"),
                d.samples().stream().map(Sample::split).toList());
        assertEquals(List.of(0, 1, 2, 3, 0, 1, 0, 1, 2), d.samples().stream().map(Sample::index).toList());
        assertEquals(List.of(0, 1, 2, 0, 1, 2, 0, 1, 2), d.samples().stream().map(Sample::label).toList());
        for (int g = 0; g < 9; g++) {
            Sample s = d.samples().get(g);
            assertEquals(DIR.resolve("gray28.npz"), s.file());
            Image im = d.load(s);
            assertEquals(1, im.channels());
            assertEquals(28, im.height());
            assertEquals(28, im.width());
            for (int y = 0; y < 28; y++)
                for (int x = 0; x < 28; x++) assertEquals(pixel(g, y, x, 0) / 255f, im.data()[y * 28 + x], 0f);
        }
        assertEquals(9, d.samples().stream().map(Sample::group).distinct().count(), "each row is its own group");
    }

    @Test
    void rgbDeflatedEntriesBecomePlanar() throws IOException {
        NpzDataset d = NpzDataset.open(DIR.resolve("rgb.npz"));
        assertEquals(List.of("0", "1", "2", "3"), d.classes());
        assertEquals(List.of(0, 1, 2, 3, 0, 1, 2, 3, 0), d.samples().stream().map(Sample::label).toList());
        Sample s = d.samples().get(7); // test row 1, global image 7
        assertEquals("test", s.split());
        assertEquals(1, s.index());
        Image im = d.load(s);
        assertEquals(3, im.channels());
        assertEquals(8, im.height());
        assertEquals(6, im.width());
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 6; x++) assertEquals(pixel(7, y, x, c) / 255f, im.data()[c * 48 + y * 6 + x], 0f);
    }

    @Test
    void rejectsMultiLabelFortranOrderAndFloat() {
        IOException m = assertThrows(IOException.class, () -> NpzDataset.open(DIR.resolve("multilabel.npz")));
        assertEquals(DIR.resolve("multilabel.npz") + ": multi-label dataset (labels of shape 4×14) is not supported yet", m.getMessage());
        IOException f = assertThrows(IOException.class, () -> NpzDataset.open(DIR.resolve("fortran.npz")));
        assertTrue(f.getMessage().startsWith(DIR.resolve("fortran.npz") + ":train_images: Fortran-order array is not supported"), f.getMessage());
        IOException t = assertThrows(IOException.class, () -> NpzDataset.open(DIR.resolve("float.npz")));
        assertTrue(t.getMessage().startsWith(DIR.resolve("float.npz") + ":train_images: dtype '<f4' is not supported"), t.getMessage());
    }

    @Test
    void rejectsNonZipAndMissingArrays() throws IOException {
        Path junk = tmp.resolve("junk.npz");
        Files.writeString(junk, "not a zip");
        assertTrue(assertThrows(IOException.class, () -> NpzDataset.open(junk)).getMessage()
                .startsWith(junk + ": not a readable .npz archive"));
        Path empty = tmp.resolve("empty.npz");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(empty))) {
            z.putNextEntry(new java.util.zip.ZipEntry("other.npy"));
            z.write(npy(1, "|u1", "(2,)", new byte[2]));
        }
        assertTrue(assertThrows(IOException.class, () -> NpzDataset.open(empty)).getMessage().contains("not a MedMNIST .npz"));
    }

    static byte[] npy(int version, String descr, String shape, byte[] data) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pre = version == 1 ? 10 : 12, total = (pre + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - pre - dict.length() - 1) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x93);
        b.write("NUMPY".getBytes(StandardCharsets.US_ASCII));
        b.write(version);
        b.write(0);
        int len = header.length();
        b.write(len & 0xff);
        b.write(len >> 8);
        if (version > 1) {
            b.write(0);
            b.write(0);
        }
        b.write(header.getBytes(StandardCharsets.UTF_8));
        b.write(data);
        return b.toByteArray();
    }

    @Test
    void npyVersionsDtypesAndBounds() throws IOException {
        byte[] le = {1, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        for (int v = 1; v <= 3; v++) {
            NpyArray a = NpyReader.read(new ByteArrayInputStream(npy(v, "<i4", "(2,)", le)), "a");
            assertArrayEquals(new long[]{2}, a.shape());
            assertEquals(1, a.longAt(0));
            assertEquals(-1, a.longAt(1));
        }
        NpyArray u = NpyReader.read(new ByteArrayInputStream(npy(1, "<u2", "(2, 2)", le)), "u");
        assertEquals(1, u.longAt(0));
        assertEquals(65535, u.longAt(2));
        NpyArray be = NpyReader.read(new ByteArrayInputStream(npy(1, ">i8", "(1,)", new byte[]{0, 0, 0, 0, 0, 0, 1, 2})), "b");
        assertEquals(258, be.longAt(0));
        assertEquals("n: truncated data (8 of 12 bytes for shape 3)",
                assertThrows(IOException.class, () -> NpyReader.read(new ByteArrayInputStream(npy(1, "<i4", "(3,)", le)), "n")).getMessage());
        assertEquals("n: more data than shape 1 holds",
                assertThrows(IOException.class, () -> NpyReader.read(new ByteArrayInputStream(npy(1, "<i4", "(1,)", le)), "n")).getMessage());
        assertTrue(assertThrows(IOException.class, () -> NpyReader.read(new ByteArrayInputStream(npy(1, "|u1", "(100000, 100000)", le)), "big"))
                .getMessage().startsWith("big: array of shape 100000×100000 is 10000000000 bytes; at most 2 GiB"));
        byte[] two = npy(1, "<i4", "(2,)", le);
        assertEquals("s: 8 data bytes, shape 3 needs 12",
                assertThrows(IOException.class, () -> NpyReader.read(new ByteArrayInputStream(npy(1, "<i4", "(3,)", le)), "s", two.length)).getMessage());
        assertEquals(-1, NpyReader.read(new ByteArrayInputStream(two), "s", two.length).longAt(1));
        assertEquals("x: not a NumPy .npy array (bad magic)",
                assertThrows(IOException.class, () -> NpyReader.read(new ByteArrayInputStream(new byte[]{1, 2, 3}), "x")).getMessage());
    }
}
