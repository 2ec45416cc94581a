package org.medmamba.io.hostile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.data.NpzDataset;
import org.medmamba.data.dicom.DicomImages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Hostile .npz archives and a corrupted JPEG 2000 frame in a DICOM file. */
class HostileArraysAndJ2kTest {
    @TempDir
    Path tmp;

    private Path npz(String name, String shape, int n, String labelShape, int labels) throws Exception {
        Map<String, byte[]> a = new LinkedHashMap<>();
        a.put("train_images", HostileFiles.npy(shape, new byte[n]));
        a.put("train_labels", HostileFiles.npy(labelShape, new byte[labels]));
        return HostileFiles.npz(tmp.resolve(name), a, true);
    }

    @Test
    void zeroByZeroImages() throws Exception {
        Path p = npz("zero.npz", "(2, 0, 0)", 0, "(2, 1)", 2);
        assertEquals(p + ": train_images are 0x0-pixel images (shape 2×0×0)", Bounded.refused(() -> NpzDataset.open(p)));
    }

    @Test
    void emptyArrays() throws Exception {
        Path p = npz("empty.npz", "(0, 28, 28)", 0, "(0,)", 0);
        assertEquals(p + ": train_images holds no images (shape 0×28×28)", Bounded.refused(() -> NpzDataset.open(p)));
    }

    @Test
    void imageSidesGoThroughTheImageLimit() throws Exception {
        Path p = npz("wide.npz", "(1, 1, 100000)", 100000, "(1,)", 1);
        assertEquals(p + ": image of 100000x1 pixels is larger than the limit of 65536 per side (medmamba.limits.imageSide)",
                Bounded.refused(() -> NpzDataset.open(p)));
    }

    @Test
    void zipBombEntryIsNotInflatedBeyondItsDeclaredSize() throws Exception {
        Path p = npz("bomb.npz", "(1, 28, 28)", 64 << 20, "(1,)", 1);
        long declared = HostileFiles.npy("(1, 28, 28)", new byte[784]).length;
        HostileFiles.declareSize(p, "train_images.npy", declared);
        assertEquals(p + ":train_images: more data than shape 1×28×28 holds", Bounded.refused(() -> NpzDataset.open(p)));
    }

    @Test
    void declaredSizeBeyondTheLimit() throws Exception {
        Path p = npz("lie.npz", "(1, 28, 28)", 784, "(1,)", 1);
        HostileFiles.declareSize(p, "train_images.npy", 3L << 29);
        assertEquals(p + ": entry train_images.npy of 1.5 GiB is larger than the limit of 1.0 GiB (medmamba.limits.zipEntryBytes)",
                Bounded.refused(() -> NpzDataset.open(p)));
    }

    /** Offset from SOC of the packet byte that, set to 0xFF, sends jj2000 into an endless loop (found by the sweep). */
    static final int HANG_BYTE = 247;

    /** The deadline refuses the file in one line; the child JVM's exit ends the codec thread that never stops. */
    @Test
    void aCodestreamThatNeverFinishesDecodingIsRefusedAtTheDeadline(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path f = org.medmamba.testing.Shared.fixture("dicom").resolve("pydicom/JPEG2000.dcm");
        byte[] b = Files.readAllBytes(f);
        int soc = -1;
        for (int i = 0; i + 3 < b.length && soc < 0; i++)
            if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0x4f && (b[i + 2] & 0xff) == 0xff && (b[i + 3] & 0xff) == 0x51) soc = i;
        b[soc + HANG_BYTE] = (byte) 0xff;
        Path bad = Files.write(tmp.resolve("hang.dcm"), b);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dmedmamba.limits.decodeSeconds=2", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.medmamba.cli.Main", "inspect", bad.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("medmamba: " + bad + ": JPEG 2000: the decoder did not finish within 2 s (a corrupt codestream; "
                + "medmamba.limits.decodeSeconds)"), out);
    }

    @Test
    void corruptedJpeg2000FragmentIsAnErrorNotZeros() throws Exception {
        Path f = org.medmamba.testing.Shared.fixture("dicom").resolve("pydicom/JPEG2000.dcm");
        byte[] b = Files.readAllBytes(f);
        int soc = -1;
        for (int i = 0; i + 3 < b.length && soc < 0; i++)
            if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0x4f && (b[i + 2] & 0xff) == 0xff && (b[i + 3] & 0xff) == 0x51) soc = i;
        assertTrue(soc > 0);
        assertTrue(DicomImages.frame(DicomImages.open(f, b), 0).data().length > 0, "the intact fixture decodes");
        int damaged = 0;
        // single bytes of the codestream zeroed or set to 0xFF: jj2000 used to return zeros for some without a word
        // every byte of the main and first tile-part headers (where a lie changes what is decoded), then every
        // 61st byte of the coded data: a full sweep is 2 decodes per byte of a 6 kB stream, minutes on 2 cores
        for (int k = soc + 4; k < b.length - 8; k += k < soc + 320 ? 1 : 61)
            for (int v : new int[]{0, 0xff}) {
                // not covered: Ssiz (soc+42) = 0 declares 1-bit samples; the codec's output is then a valid but
                // constant 1-bit frame, which windowing maps to zeros
                if (k == soc + 42) continue;
                // the byte that makes jj2000 loop forever: refused by the decode deadline, tested in a child JVM below
                if (k - soc == HANG_BYTE && v == 0xff) continue;
                byte[] c = b.clone();
                c[k] = (byte) v;
                try {
                    float[] d = DicomImages.frame(DicomImages.open(f, c), 0).data();
                    boolean any = false;
                    for (float x : d) any |= x != 0;
                    assertTrue(any, "byte " + (k - soc) + " = " + v + " decoded to all zeros without an error");
                } catch (java.io.IOException e) {
                    damaged++;
                    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
                    assertFalse(e.getMessage().contains("\n"));
                }
            }
        assertTrue(damaged > 0);
        byte[] c = b.clone();
        c[soc + 124] = 0;   // a tile-part header the codec skips, leaving the frame empty
        assertEquals(f + ": JPEG 2000: corrupt codestream (Non recognized marker segment (0x93) in tile-part header of tile 0 !)",
                Bounded.refused(() -> DicomImages.frame(DicomImages.open(f, c), 0)));
    }
}
