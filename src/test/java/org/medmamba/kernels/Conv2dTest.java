package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Conv2dTest {
    private static int savedThreads;

    @BeforeAll
    static void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterAll
    static void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** Geometry(batch, inC, h, w, outC, kh, kw, stride, pad, groups). */
    private static Conv2d.Geometry geo(int b, int inC, int h, int w, int outC, int k, int s, int p, int groups) {
        return new Conv2d.Geometry(b, inC, h, w, outC, k, k, s, p, groups);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // dense 3×3 pad 1
                Arguments.of("dense3x3 7->7 7x9 b1", geo(1, 7, 7, 9, 7, 3, 1, 1, 1)),
                Arguments.of("dense3x3 33->35 12x12 b2", geo(2, 33, 12, 12, 35, 3, 1, 1, 1)),
                Arguments.of("dense3x3 7->7 33x35 b3", geo(3, 7, 33, 35, 7, 3, 1, 1, 1)),
                Arguments.of("dense3x3 33->35 33x35 b1", geo(1, 33, 33, 35, 35, 3, 1, 1, 1)),
                Arguments.of("dense3x3 3->4 5x6 b10 (uneven dW chunks)", geo(10, 3, 5, 6, 4, 3, 1, 1, 1)),
                // 1×1 (im2col skipped)
                Arguments.of("pointwise 33->35 12x12 b2", geo(2, 33, 12, 12, 35, 1, 1, 0, 1)),
                Arguments.of("pointwise 7->5 7x9 b3", geo(3, 7, 7, 9, 5, 1, 1, 0, 1)),
                Arguments.of("1x1 stride 2 7->5 9x9 b2", geo(2, 7, 9, 9, 5, 1, 2, 0, 1)),
                // patch embedding 4×4 stride 4
                Arguments.of("patch4 1->96 32x96 b2", geo(2, 1, 32, 96, 96, 4, 4, 0, 1)),
                Arguments.of("patch4 3->96 32x96 b1", geo(1, 3, 32, 96, 96, 4, 4, 0, 1)),
                // depthwise 3×3 pad 1 fast path; widths around the vector length
                Arguments.of("dw3x3 c7 9x7 b2", geo(2, 7, 9, 7, 7, 3, 1, 1, 7)),
                Arguments.of("dw3x3 c33 11x33 b1", geo(1, 33, 11, 33, 33, 3, 1, 1, 33)),
                Arguments.of("dw3x3 c7 5x35 b3", geo(3, 7, 5, 35, 7, 3, 1, 1, 7)),
                Arguments.of("dw3x3 c97 6x97 b1", geo(1, 97, 6, 97, 97, 3, 1, 1, 97)),
                Arguments.of("dw3x3 c33 33x35 b2", geo(2, 33, 33, 35, 33, 3, 1, 1, 33)),
                Arguments.of("dw3x3 c7 1x16 b2", geo(2, 7, 1, 16, 7, 3, 1, 1, 7)),
                // depthwise generic path
                Arguments.of("dw3x3 stride2 c7 13x17 b2", geo(2, 7, 13, 17, 7, 3, 2, 1, 7)),
                Arguments.of("dw3x3 stride2 pad0 c33 8x35 b1", geo(1, 33, 8, 35, 33, 3, 2, 0, 33)),
                Arguments.of("dw5x5 pad2 c7 9x35 b2", geo(2, 7, 9, 35, 7, 5, 1, 2, 7)),
                Arguments.of("dw3x3 pad0 c5 6x20 b1", geo(1, 5, 6, 20, 5, 3, 1, 0, 5)),
                Arguments.of("dw4x4 stride4 c5 16x16 b2", geo(2, 5, 16, 16, 5, 4, 4, 0, 5)),
                // grouped (non-depthwise) → per-group im2col
                Arguments.of("groups2 3x3 8->6 9x11 b2", geo(2, 8, 9, 11, 6, 3, 1, 1, 2)),
                Arguments.of("groups2 1x1 6->4 5x7 b2", geo(2, 6, 5, 7, 4, 1, 1, 0, 2)),
                Arguments.of("groups3 3x3 s2 6->9 10x9 b3", geo(3, 6, 10, 9, 9, 3, 2, 1, 3)),
                Arguments.of("dw multiplier 4->8 3x3 b2", geo(2, 4, 7, 8, 8, 3, 1, 1, 4)),
                // non-square kernel (kh=1, kw=3) and pad bigger than needed
                Arguments.of("1x3 pad1 5->3 6x7 b2", new Conv2d.Geometry(2, 5, 6, 7, 3, 1, 3, 1, 1, 1)),
                Arguments.of("3x3 pad2 stride3 4->5 11x10 b2", geo(2, 4, 11, 10, 5, 3, 3, 2, 1)));
    }

    // ---------------------------------------------------------------- data helpers

    private static float[] rand(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() * 2 - 1;
        return a;
    }

    private static float[] nan(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN); // outputs must be overwritten, not accumulated
        return a;
    }

    private static int inSize(Conv2d.Geometry g) { return g.batch() * g.inC() * g.h() * g.w(); }
    private static int outSize(Conv2d.Geometry g) { return g.batch() * g.outC() * g.outH() * g.outW(); }
    private static int wSize(Conv2d.Geometry g) { return g.outC() * (g.inC() / g.groups()) * g.kh() * g.kw(); }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    private static double absDot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs((double) a[i] * b[i]);
        return s;
    }

    private static void assertClose(String what, float[] ref, float[] got) {
        assertEquals(ref.length, got.length, what + " length");
        double scale = 1e-3, err = 0;
        int worst = -1;
        for (float v : ref) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < ref.length; i++) {
            double e = Math.abs((double) ref[i] - got[i]);
            if (!(e <= err)) { err = e; worst = i; } // NaN-safe: a NaN always becomes the worst
        }
        assertTrue(err <= 1e-5 * scale,
                what + ": max abs err " + err + " at " + worst + " (ref " + (worst < 0 ? 0 : ref[worst])
                        + ", got " + (worst < 0 ? 0 : got[worst]) + "), scale " + scale);
    }

    /** Forward + both backward passes; returns {y, dx, dW, dB}. */
    private static float[][] runAll(Conv2d conv, Conv2d.Geometry g, float[] x, float[] w, float[] bias, float[] dy) {
        float[] y = nan(outSize(g)), dx = nan(inSize(g)), dw = nan(wSize(g)), db = nan(g.outC());
        conv.forward(g, x, w, bias, y);
        conv.backwardInput(g, dy, w, dx);
        conv.backwardWeight(g, x, dy, dw, db);
        return new float[][] {y, dx, dw, db};
    }

    // ---------------------------------------------------------------- reference checks

    @Test
    void referenceHandComputed() {
        // 1×1×3×3 input 1..9, kernel [[1,0],[0,1]], bias 0.5, stride 1, pad 0 → 2×2.
        var g = new Conv2d.Geometry(1, 1, 3, 3, 1, 2, 2, 1, 0, 1);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9}, w = {1, 0, 0, 1}, y = new float[4];
        new ReferenceConv2d().forward(g, x, w, new float[] {0.5f}, y);
        assertArrayEquals(new float[] {6.5f, 8.5f, 12.5f, 14.5f}, y);
        // Same input, 3×3 all-ones kernel, pad 1, stride 2 → 2×2 corner sums.
        var g2 = new Conv2d.Geometry(1, 1, 3, 3, 1, 3, 3, 2, 1, 1);
        float[] ones = new float[9];
        Arrays.fill(ones, 1f);
        new ReferenceConv2d().forward(g2, x, ones, null, y);
        assertArrayEquals(new float[] {12, 16, 24, 28}, y);
    }

    /**
     * The reference's backward passes are the adjoints of its forward pass: for L = ⟨conv(x, w, b), dy⟩,
     * ⟨x, dx⟩ = ⟨w, dW⟩ = L(b=0) and ⟨b, dB⟩ = L − L(b=0). Plus central finite differences of L
     * (exact up to rounding, L being linear in each argument) on a few coordinates.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceIsAdjoint(String name, Conv2d.Geometry g) {
        Random r = new Random(name.hashCode());
        float[] x = rand(r, inSize(g)), w = rand(r, wSize(g)), bias = rand(r, g.outC()), dy = rand(r, outSize(g));
        ReferenceConv2d ref = new ReferenceConv2d();
        float[][] out = runAll(ref, g, x, w, bias, dy);
        float[] y0 = new float[outSize(g)];
        ref.forward(g, x, w, null, y0);
        double l0 = dot(y0, dy), lb = dot(out[0], dy) - l0;
        double tol = 1e-5 * (absDot(y0, dy) + absDot(bias, out[3]) + 1);
        assertEquals(l0, dot(x, out[1]), tol, "<x, dx>");
        assertEquals(l0, dot(w, out[2]), tol, "<w, dW>");
        assertEquals(lb, dot(bias, out[3]), tol, "<b, dB>");

        float[] yp = new float[outSize(g)], ym = new float[outSize(g)];
        float h = 0.5f;
        for (int t = 0; t < 4; t++) {
            int i = r.nextInt(x.length);
            float[] xp = x.clone(), xm = x.clone();
            xp[i] += h; xm[i] -= h;
            ref.forward(g, xp, w, bias, yp);
            ref.forward(g, xm, w, bias, ym);
            assertEquals(out[1][i], (dot(yp, dy) - dot(ym, dy)) / (2 * h), tol, "fd dx[" + i + "]");

            int k = r.nextInt(w.length);
            float[] wp = w.clone(), wm = w.clone();
            wp[k] += h; wm[k] -= h;
            ref.forward(g, x, wp, bias, yp);
            ref.forward(g, x, wm, bias, ym);
            assertEquals(out[2][k], (dot(yp, dy) - dot(ym, dy)) / (2 * h), tol, "fd dW[" + k + "]");

            int o = r.nextInt(bias.length);
            float[] bp = bias.clone(), bm = bias.clone();
            bp[o] += h; bm[o] -= h;
            ref.forward(g, x, w, bp, yp);
            ref.forward(g, x, w, bm, ym);
            assertEquals(out[3][o], (dot(yp, dy) - dot(ym, dy)) / (2 * h), tol, "fd dB[" + o + "]");
        }
    }

    // ---------------------------------------------------------------- fast vs reference

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vectorMatchesReferenceAndIsThreadCountIndependent(String name, Conv2d.Geometry g) {
        Random r = new Random(~name.hashCode());
        float[] x = rand(r, inSize(g)), w = rand(r, wSize(g)), bias = rand(r, g.outC()), dy = rand(r, outSize(g));
        float[][] ref = runAll(new ReferenceConv2d(), g, x, w, bias, dy);
        // A small column cap forces several im2col row tiles on every dense case.
        for (Conv2d conv : new Conv2d[] {new VectorConv2d(new ReferenceGemm()), new VectorConv2d(new ReferenceGemm(), 500)}) {
            Parallel.setThreads(2);
            float[][] two = runAll(conv, g, x, w, bias, dy);
            assertClose("forward", ref[0], two[0]);
            assertClose("backwardInput", ref[1], two[1]);
            assertClose("backwardWeight", ref[2], two[2]);
            assertClose("dBias", ref[3], two[3]);
            Parallel.setThreads(1);
            float[][] one = runAll(conv, g, x, w, bias, dy);
            for (int i = 0; i < 4; i++)
                assertArrayEquals(one[i], two[i], "threads 1 vs 2, output " + i + " differs bitwise");
        }
        // Without bias: forward must not add one, dBias may be null.
        Parallel.setThreads(2);
        float[] y = nan(outSize(g)), yRef = nan(outSize(g)), dw = nan(wSize(g));
        new VectorConv2d(new ReferenceGemm()).forward(g, x, w, null, y);
        new ReferenceConv2d().forward(g, x, w, null, yRef);
        assertClose("forward no bias", yRef, y);
        new VectorConv2d(new ReferenceGemm()).backwardWeight(g, x, dy, dw, null);
        assertClose("backwardWeight no dBias", ref[2], dw);
    }

    @Test
    void repeatedCallsReuseScratchCorrectly() {
        // Big then small shapes on one instance: grown scratch with stale contents must not leak in.
        VectorConv2d conv = new VectorConv2d(new ReferenceGemm());
        ReferenceConv2d ref = new ReferenceConv2d();
        Random r = new Random(7);
        Conv2d.Geometry[] gs = {geo(2, 9, 20, 40, 9, 3, 1, 1, 9), geo(1, 9, 5, 6, 9, 3, 1, 1, 9),
                geo(1, 4, 20, 20, 6, 3, 1, 1, 1), geo(2, 4, 5, 6, 3, 3, 1, 1, 1)};
        for (Conv2d.Geometry g : gs) {
            float[] x = rand(r, inSize(g)), w = rand(r, wSize(g)), bias = rand(r, g.outC()), dy = rand(r, outSize(g));
            for (int i = 0; i < x.length; i += 3) x[i] = 1e6f; // large stale values if anything leaks
            float[][] a = runAll(ref, g, x, w, bias, dy), b = runAll(conv, g, x, w, bias, dy);
            for (int i = 0; i < 4; i++) assertClose(g + " output " + i, a[i], b[i]);
        }
    }
}
