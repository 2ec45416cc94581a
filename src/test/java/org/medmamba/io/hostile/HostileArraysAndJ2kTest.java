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
        for (int k = soc + 4; k < b.length - 8; k++)
            for (int v : new int[]{0, 0xff}) {
                // not covered: Ssiz (soc+42) = 0 declares 1-bit samples; the codec's output is then a valid but
                // constant 1-bit frame, which windowing maps to zeros
                if (k == soc + 42) continue;
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
