package org.medmamba.data.transform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medmamba.data.image.Image;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Geometry and statistics of the preprocessing: exact where the maths is exact. */
class PreprocessorTest {
    static Image ramp(int c, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextDouble();
        return new Image(c, h, w, d);
    }

    static Preprocessing plain(int c, int h, int w) {
        float[] zero = new float[c], one = new float[c];
        java.util.Arrays.fill(one, 1f);
        return new Preprocessing(c, h, w, zero, one, null);
    }

    static float[] run(Preprocessing p, Image img, Draw d) {
        float[] out = new float[p.floatsPerImage()];
        new Preprocessor(p).apply(img, d, out, 0);
        return out;
    }

    @Test
    void shrinkingByTwoIsPilsTriangleFilter() {
        // 1×4 row → 1×2: output 0 is centred at 1.0 with support 2: taps x=0,1,2 weighted .75,.75,.25 (then normalised)
        Image img = new Image(1, 1, 4, new float[]{1, 2, 4, 8});
        Image out = img.resize(1, 2);
        assertEquals((.75 * 1 + .75 * 2 + .25 * 4) / 1.75, out.data()[0], 1e-6);
        assertEquals((.25 * 2 + .75 * 4 + .75 * 8) / 1.75, out.data()[1], 1e-6);
    }

    @Test
    void enlargingIsHalfPixelBilinearWithClampedEdges() {
        Image img = new Image(1, 1, 2, new float[]{0, 1});
        float[] o = img.resize(1, 4).data(); // source centres at -0.25, 0.25, 0.75, 1.25
        assertArrayEquals(new float[]{0, 0.25f, 0.75f, 1}, o, 1e-6f);
    }

    @Test
    void resizeKeepsConstantsAndMean() {
        Image c = new Image(3, 37, 53, filled(3 * 37 * 53, 0.3f));
        for (float v : c.resize(20, 11).data()) assertEquals(0.3f, v, 1e-6f);
        Image r = ramp(1, 64, 64, 1);
        double m0 = mean(r.data()), m1 = mean(r.resize(32, 32).data());
        assertEquals(m0, m1, 2e-3, "an integer-factor shrink averages every pixel");
    }

    @Test
    void normalisationIsExact() {
        Image img = ramp(3, 16, 16, 2);
        Preprocessing p = new Preprocessing(3, 16, 16, new float[]{0.1f, 0.2f, 0.3f}, new float[]{0.5f, 0.25f, 0.7f}, null);
        float[] out = run(p, img, null);
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 256; i++)
                assertEquals((img.data()[c * 256 + i] - p.mean()[c]) / p.std()[c], out[c * 256 + i], 0f);
    }

    @Test
    void flipIsTheMirror() {
        Image img = ramp(3, 12, 17, 3);
        Preprocessing p = plain(3, 12, 17);
        Draw d = new Draw(new CropBox(0, 0, 12, 17), true, 0, 0, 0, 1, 1, true);
        float[] out = run(p, img, d);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 12; y++)
                for (int x = 0; x < 17; x++)
                    assertEquals(img.data()[c * 204 + y * 17 + (16 - x)], out[c * 204 + y * 17 + x], 1e-6f);
    }

    @Test
    void rotationBy90TurnsCounterClockwise() {
        int n = 9;
        Image img = ramp(1, n, n, 4);
        float[] out = run(plain(1, n, n), img, new Draw(new CropBox(0, 0, n, n), false, 90, 0, 0, 1, 1, true));
        // counter-clockwise on screen (y down): the top row becomes the left column, read bottom-up
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                assertEquals(img.data()[x * n + (n - 1 - y)], out[y * n + x], 1e-5f, "at " + x + "," + y);
    }

    @Test
    void translationShiftsAndFillsWithZero() {
        Image img = ramp(1, 10, 10, 5);
        float[] out = run(plain(1, 10, 10), img, new Draw(new CropBox(0, 0, 10, 10), false, 0, 3, -2, 1, 1, true));
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 10; x++) {
                int sx = x - 3, sy = y + 2;
                float want = sx >= 0 && sy < 10 ? img.data()[sy * 10 + sx] : 0f;
                assertEquals(want, out[y * 10 + x], 1e-6f);
            }
    }

    @Test
    void cropIsResizedFromItsBoxOnly() {
        Image img = ramp(1, 40, 40, 6);
        float[] out = run(plain(1, 10, 10), img, new Draw(new CropBox(5, 10, 20, 20), false, 0, 0, 0, 1, 1, true));
        float[] crop = new float[400];
        for (int y = 0; y < 20; y++) System.arraycopy(img.data(), (5 + y) * 40 + 10, crop, y * 20, 20);
        assertArrayEquals(new Image(1, 20, 20, crop).resize(10, 10).data(), out, 1e-6f);
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 100, 512})
    void cropScaleAndRatioStayInRange(int side) {
        Augmentation a = Augmentation.SEED;
        for (int s = 0; s < 2000; s++) {
            CropBox b = CropBox.random(new SplittableRandom(s), side, side + 37, a);
            double area = (double) b.width() * b.height() / (side * (side + 37.0));
            double ratio = (double) b.width() / b.height();
            double slack = 2.0 / Math.min(b.width(), b.height()); // from rounding the sides to pixels
            assertTrue(area >= a.scaleMin() - 2 * slack && area <= a.scaleMax() + 2 * slack, "area " + area);
            assertTrue(ratio >= a.ratioMin() * (1 - slack) && ratio <= a.ratioMax() * (1 + slack), "ratio " + ratio);
            assertTrue(b.top() >= 0 && b.left() >= 0 && b.top() + b.height() <= side && b.left() + b.width() <= side + 37);
        }
    }

    @Test
    void drawsCoverTheirRanges() {
        Augmentation a = Augmentation.SEED;
        int flips = 0, n = 4000;
        double minDeg = 99, maxDeg = -99, minB = 9, maxB = 0, maxT = 0;
        for (int s = 0; s < n; s++) {
            Draw d = Draw.of(new SplittableRandom(s), a, 300, 300, 224, 224);
            if (d.flip()) flips++;
            minDeg = Math.min(minDeg, d.degrees());
            maxDeg = Math.max(maxDeg, d.degrees());
            minB = Math.min(minB, d.brightness());
            maxB = Math.max(maxB, d.brightness());
            maxT = Math.max(maxT, Math.abs(d.tx()));
            assertTrue(d.contrast() >= 0.8f && d.contrast() <= 1.2f);
        }
        assertEquals(0.5, flips / (double) n, 0.03);
        assertTrue(minDeg >= -15 && minDeg < -14.5 && maxDeg <= 15 && maxDeg > 14.5);
        assertTrue(minB >= 0.9f && minB < 0.91f && maxB <= 1.1f && maxB > 1.09f);
        assertEquals(Math.round(0.1 * 224), maxT, 1.0);
    }

    @Test
    void brightnessAndContrastStatistics() {
        Image img = ramp(1, 20, 20, 7);
        for (int i = 0; i < 400; i++) img.data()[i] = 0.3f + 0.4f * img.data()[i]; // in [0.3, 0.7]: no clipping below
        double m = mean(img.data()), sd = std(img.data());
        float[] b = run(plain(1, 20, 20), img, new Draw(new CropBox(0, 0, 20, 20), false, 0, 0, 0, 1.1f, 1, true));
        assertEquals(1.1 * m, mean(b), 1e-5);
        float[] c = run(plain(1, 20, 20), img, new Draw(new CropBox(0, 0, 20, 20), false, 0, 0, 0, 1, 1.2f, true));
        assertEquals(m, mean(c), 1e-5, "contrast keeps the mean");
        assertEquals(1.2 * sd, std(c), 1e-5, "and scales deviations");
        float[] clip = run(plain(1, 20, 20), new Image(1, 20, 20, filled(400, 0.95f)),
                new Draw(new CropBox(0, 0, 20, 20), false, 0, 0, 0, 1.1f, 1, true));
        for (float v : clip) assertEquals(1f, v, 0f);
    }

    @Test
    void sameSeedSameTensorDifferentEpochDifferent() {
        Image img = ramp(3, 50, 60, 8);
        Preprocessing p = Preprocessing.imagenet(3, 32, 32, Augmentation.SEED);
        float[] a = new float[p.floatsPerImage()], b = new float[a.length], c = new float[a.length];
        new Preprocessor(p).apply(img, Preprocessor.sampleSeed(42, 3, 17), a, 0);
        Preprocessor reused = new Preprocessor(p);
        reused.apply(ramp(3, 80, 80, 9), Preprocessor.sampleSeed(42, 3, 18), c, 0); // dirty the scratch first
        reused.apply(img, Preprocessor.sampleSeed(42, 3, 17), b, 0);
        assertArrayEquals(a, b, 0f);
        new Preprocessor(p).apply(img, Preprocessor.sampleSeed(42, 4, 17), c, 0);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void channelsAreConverted() {
        Image gray = ramp(1, 8, 8, 10);
        float[] out = run(plain(3, 8, 8), gray, null);
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 64; i++) assertEquals(gray.data()[i], out[c * 64 + i], 0f);
    }

    static float[] filled(int n, float v) {
        float[] d = new float[n];
        java.util.Arrays.fill(d, v);
        return d;
    }

    static double mean(float[] d) {
        double s = 0;
        for (float v : d) s += v;
        return s / d.length;
    }

    static double std(float[] d) {
        double m = mean(d), s = 0;
        for (float v : d) s += (v - m) * (v - m);
        return Math.sqrt(s / d.length);
    }
}
