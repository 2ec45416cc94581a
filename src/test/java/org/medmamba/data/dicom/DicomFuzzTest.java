package org.medmamba.data.dicom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Damaged files (seeded bit flips, truncation, length fields set to huge or odd values) either
 * decode or fail with a one-line IOException: never another exception, never a hang or OOM.
 */
class DicomFuzzTest {
    static final Path NAME = Path.of("fuzzed.dcm");
    static final int[] HUGE = {0xFFFFFFFF, 0x7FFFFFFF, 0xFFFFFFF0};

    record Tally(int ok, int failed) {}

    @ParameterizedTest
    @ValueSource(strings = {"pydicom/MR_small.dcm", "pydicom/MR_small_implicit.dcm", "pydicom/MR_small_bigendian.dcm",
            "pydicom/MR_small_RLE.dcm", "pydicom/image_dfl.dcm", "pydicom/dicomdirtests/77654033/CR1/6154", "pydicom/SC_rgb_rle.dcm",
            "pydicom/MR_small_jp2klossless.dcm", "pydicom/liver_1frame.dcm", "pydicom/ExplVR_BigEnd.dcm",
            "nibabel/slicethickness_empty_string.dcm"})
    void damagedFilesFailCleanly(String file) throws IOException {
        byte[] original = Files.readAllBytes(DicomManifestTest.DICOM.resolve(file));
        Random rnd = new Random(file.hashCode());
        int ok = 0, failed = 0;
        List<byte[]> mutants = new ArrayList<>();
        int scale = original.length > 20_000 ? 3 : 1; // fewer attempts on the larger files keeps the suite fast
        for (int i = 0; i < 40 / scale; i++) { // bit flips, half of them in the first 2 KiB where the header is
            byte[] b = original.clone();
            int span = i % 2 == 0 ? Math.min(b.length, 2048) : b.length;
            for (int k = 1 + rnd.nextInt(16); k > 0; k--) b[rnd.nextInt(span)] ^= (byte) (1 << rnd.nextInt(8));
            mutants.add(b);
        }
        for (int i = 0; i < 30 / scale; i++) { // truncation: evenly spread plus random cuts
            int n = i < 15 / scale ? (int) ((long) original.length * i * scale / 15) : rnd.nextInt(original.length);
            mutants.add(java.util.Arrays.copyOf(original, n));
        }
        List<int[]> fields = lengthFields(original);
        for (int[] f : fields.subList(0, Math.min(40 / scale, fields.size()))) {
            for (int h : HUGE) mutants.add(withLength(original, f, h));
            mutants.add(withLength(original, f, readLength(original, f) + 1)); // odd
        }
        for (byte[] m : mutants) {
            if (assertTimeoutPreemptively(Duration.ofSeconds(10), () -> attempt(m))) ok++;
            else failed++;
        }
        System.out.printf("fuzz %s: %d mutants, %d decoded, %d clean errors, %d length fields%n", file, mutants.size(), ok, failed, fields.size());
        assertEquals(mutants.size(), ok + failed);
        assertTrue(fields.size() >= 5, "found length fields to damage"); // deflated files: the meta group only
    }

    /** True when it decoded, false for a clean IOException; anything else fails the test. */
    static boolean attempt(byte[] b) {
        try {
            DicomReader.readHeader(NAME, b);
            PixelDecoder d = DicomImages.open(NAME, b);
            PixelStats.of(d);
            DicomImages.frame(d, 0);
            return true;
        } catch (IOException e) {
            assertNotNull(e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
            return false;
        }
    }

    /**
     * {offset, width, bigEndian} of likely element and item length fields: explicit VR headers
     * (a tag, then two capital letters) and item tags; for implicit VR, a tag of a common group.
     */
    static List<int[]> lengthFields(byte[] b) {
        List<int[]> out = new ArrayList<>();
        for (int p = 128; p + 12 <= b.length; p += 2) {
            int g = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8, gBe = (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
            boolean vr = Character.isUpperCase(b[p + 4]) && Character.isUpperCase(b[p + 5]);
            boolean knownGroup = g == 0x0002 || g == 0x0008 || g == 0x0010 || g == 0x0018 || g == 0x0020 || g == 0x0028 || g == 0x7FE0;
            boolean knownGroupBe = gBe == 0x0008 || gBe == 0x0010 || gBe == 0x0018 || gBe == 0x0020 || gBe == 0x0028 || gBe == 0x7FE0;
            if (vr && (knownGroup || knownGroupBe)) {
                String v = "" + (char) b[p + 4] + (char) b[p + 5];
                boolean longForm = v.equals("OB") || v.equals("OW") || v.equals("SQ") || v.equals("UN") || v.equals("UT");
                out.add(new int[]{longForm ? p + 8 : p + 6, longForm ? 4 : 2, knownGroup ? 0 : 1});
            } else if (g == 0xFFFE && (b[p + 2] & 0xff) == 0x00 && (b[p + 3] & 0xff) == 0xE0) {
                out.add(new int[]{p + 4, 4, 0});
            } else if (knownGroup && g != 0x0002 && !vr && ((b[p + 7] & 0xff) == 0) && (b[p + 6] & 0xff) < 0x10) {
                out.add(new int[]{p + 4, 4, 0}); // implicit VR: 32-bit little-endian length
            }
        }
        return out;
    }

    static int readLength(byte[] b, int[] f) {
        int v = 0;
        for (int i = 0; i < f[1]; i++) {
            int shift = f[2] == 1 ? 8 * (f[1] - 1 - i) : 8 * i;
            v |= (b[f[0] + i] & 0xff) << shift;
        }
        return v;
    }

    static byte[] withLength(byte[] original, int[] f, int v) {
        byte[] b = original.clone();
        for (int i = 0; i < f[1]; i++) {
            int shift = f[2] == 1 ? 8 * (f[1] - 1 - i) : 8 * i;
            b[f[0] + i] = (byte) (v >>> shift);
        }
        return b;
    }
}
