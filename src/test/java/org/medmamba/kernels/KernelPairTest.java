package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kernel of {@link KernelProvider}, forward and backward, Vector-API against reference on the
 * same random inputs over odd and round sizes (after Lucene's BaseVectorizationTestCase): sizes
 * around the vector width (8 or 16 floats), the scan's 64-step chunk and the four-state unroll.
 *
 * <p>Tolerances. The references sum in double, so they are exact to a float rounding; a float sum of
 * K products in any order (blocked, fma, lane-wise) is within γ_K = K·2^−24/(1 − K·2^−24) of exact,
 * relative to Σ|terms|. The linear kernels (gemm, the convolutions) are therefore checked element by
 * element against (K + 2)·2^−24 · S, where S is the reference run on the absolute values of the
 * inputs (= Σ|terms| per output). The activations and the scan use polynomial exp/log1p (≤ 3e−7
 * relative each), so their bounds are relative ones, stated at each test.
 */
class KernelPairTest {
    static final int[] SIZES = {1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 65, 97};
    static final double U = 0x1p-24;   // unit roundoff of float

    static KernelProvider ref, vec;

    @BeforeAll
    static void providers() {
        assumeTrue(Kernels.vectorApiAvailable(), "needs --add-modules jdk.incubator.vector");
        ref = Kernels.reference();
        vec = new VectorKernels();
        assertEquals("reference", ref.name());
        assertEquals("vector", vec.name());
    }

    // ------------------------------------------------------------------ helpers

    static float[] gauss(Random r, int n, double sd, double mean) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (mean + sd * r.nextGaussian());
        return x;
    }

    static float[] abs(float[] x) {
        if (x == null) return null;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.abs(x[i]);
        return y;
    }

    static float[] nan(int n) {
        float[] x = new float[n];
        Arrays.fill(x, Float.NaN);
        return x;
    }

    /** |got − want| ≤ (K + 2)·u·S + slack·max(1, |want|) element-wise (S = Σ|terms|, from the reference on |inputs|). */
    static void assertSumClose(String what, float[] want, float[] got, float[] absSum, int k, double slack) {
        double g = (k + 2) * U;
        for (int i = 0; i < want.length; i++) {
            double tol = g * absSum[i] + slack * Math.max(1, Math.abs(want[i]));
            if (!(Math.abs(got[i] - want[i]) <= tol))
                throw new AssertionError(what + " [" + i + "]: vector " + got[i] + ", reference " + want[i] + ", tolerance " + tol);
        }
    }

    /** max |got − want| ≤ tol · max |want| (the scans: errors carried through a recurrence, see there). */
    static void assertNormClose(String what, float[] want, float[] got, double tol) {
        double max = 0, err = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i]));
            double e = Math.abs(got[i] - want[i]);
            if (!(e <= err)) err = e;    // NaN sticks
        }
        assertTrue(err <= tol * max, what + ": max |vector − reference| " + err + ", max |reference| " + max);
    }

    // ------------------------------------------------------------------ gemm

    @Test
    void gemm() {
        int[] mn = {1, 3, 16, 17, 33, 65};
        int cases = 0;
        for (int m : mn)
            for (int n : mn)
                for (int ki = 0; ki < SIZES.length; ki += 1 + (m + n) % 2) {
                    int k = SIZES[ki];
                    for (int t = 0; t < 4; t++) gemmCase(m, n, k, (t & 1) != 0, (t & 2) != 0, (t + ki) % 2, cases++);
                }
        // k beyond the 512-deep packed panel: several k-blocks accumulate into C
        gemmCase(17, 33, 1000, false, false, 0, cases++);
        gemmCase(33, 7, 600, true, true, 1, cases++);
    }

    private void gemmCase(int m, int n, int k, boolean tA, boolean tB, int beta, long seed) {
        Random r = new Random(seed);
        // strided and offset operands: lda/ldb/ldc wider than the rows
        int aRows = tA ? k : m, aCols = tA ? m : k, bRows = tB ? n : k, bCols = tB ? k : n;
        int lda = aCols + 3, ldb = bCols + 1, ldc = n + 2, aOff = 5, bOff = 2, cOff = 3;
        float[] a = gauss(r, aOff + aRows * lda, 1, 0), b = gauss(r, bOff + bRows * ldb, 1, 0);
        float[] c0 = beta == 0 ? nan(cOff + m * ldc) : gauss(r, cOff + m * ldc, 1, 0);
        float[] want = c0.clone(), got = c0.clone(), s = beta == 0 ? new float[c0.length] : abs(c0);
        ref.gemm().sgemm(tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, want, cOff, ldc);
        vec.gemm().sgemm(tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, got, cOff, ldc);
        ref.gemm().sgemm(tA, tB, m, n, k, abs(a), aOff, lda, abs(b), bOff, ldb, beta, s, cOff, ldc);
        String what = "gemm m=" + m + " n=" + n + " k=" + k + " tA=" + tA + " tB=" + tB + " beta=" + beta;
        for (int i = 0; i < c0.length; i++) {
            boolean inside = i >= cOff && (i - cOff) % ldc < n;
            if (!inside) assertEquals(Float.floatToRawIntBits(c0[i]), Float.floatToRawIntBits(got[i]), what + ": wrote outside C at " + i);
        }
        for (int i = 0; i < c0.length; i++) if (!(i >= cOff && (i - cOff) % ldc < n)) { want[i] = got[i] = s[i] = 0; }
        assertSumClose(what, want, got, s, k + beta, 0);
    }

    // ------------------------------------------------------------------ conv2d

    @Test
    void conv2d() {
        // {inC, outC, groups}: dense, grouped, depthwise; {kh, kw, stride, pad}: 1×1, 3×3, strided, 7×7, patchify 4×4/4
        int[][] ch = {{1, 1, 1}, {3, 16, 1}, {17, 15, 1}, {8, 16, 4}, {16, 16, 16}, {17, 17, 17}, {33, 33, 33}, {7, 14, 7}};
        int[][] ker = {{1, 1, 1, 0}, {3, 3, 1, 1}, {3, 3, 2, 1}, {7, 7, 1, 3}, {4, 4, 4, 0}, {1, 3, 1, 1}};
        int[] hw = {1, 2, 3, 7, 15, 16, 17, 31, 33};
        int cases = 0;
        for (int ci = 0; ci < ch.length; ci++)
            for (int ki = 0; ki < ker.length; ki++) {
                int h = hw[(ci + 2 * ki) % hw.length], w = hw[(3 * ci + ki + 1) % hw.length];
                int[] c = ch[ci], kk = ker[ki];
                if (h + 2 * kk[3] < kk[0] || w + 2 * kk[3] < kk[1]) continue;
                conv2dCase(new Conv2d.Geometry(1 + (ci + ki) % 2, c[0], h, w, c[1], kk[0], kk[1], kk[2], kk[3], c[2]), cases++);
            }
        assertTrue(cases >= 40, "cases " + cases);
    }

    private void conv2dCase(Conv2d.Geometry g, long seed) {
        Random r = new Random(seed);
        int x = g.batch() * g.inC() * g.h() * g.w(), y = g.batch() * g.outC() * g.outH() * g.outW();
        int wn = g.outC() * (g.inC() / g.groups()) * g.kh() * g.kw();
        float[] xs = gauss(r, x, 1, 0), ws = gauss(r, wn, 1, 0), bias = gauss(r, g.outC(), 1, 0), dy = gauss(r, y, 1, 0);
        Conv2d R = ref.conv2d(), Vk = vec.conv2d();
        String what = "conv2d " + g;
        int kFwd = g.inC() / g.groups() * g.kh() * g.kw() + 1;
        float[] want = new float[y], got = nan(y), s = new float[y];
        R.forward(g, xs, ws, bias, want);
        Vk.forward(g, xs, ws, bias, got);
        R.forward(g, abs(xs), abs(ws), abs(bias), s);
        assertSumClose(what + " forward", want, got, s, kFwd, 0);
        Arrays.fill(got, Float.NaN);
        Vk.forward(g, xs, ws, null, got);
        R.forward(g, xs, ws, null, want);
        assertSumClose(what + " forward without bias", want, got, s, kFwd, 0);

        int kIn = g.outC() / g.groups() * g.kh() * g.kw();
        want = new float[x]; got = nan(x); s = new float[x];
        R.backwardInput(g, dy, ws, want);
        Vk.backwardInput(g, dy, ws, got);
        R.backwardInput(g, abs(dy), abs(ws), s);
        assertSumClose(what + " backwardInput", want, got, s, kIn, 0);

        int kW = g.batch() * g.outH() * g.outW();
        float[] dbW = new float[g.outC()], dbG = nan(g.outC()), dbS = new float[g.outC()];
        want = new float[wn]; got = nan(wn); s = new float[wn];
        R.backwardWeight(g, xs, dy, want, dbW);
        Vk.backwardWeight(g, xs, dy, got, dbG);
        R.backwardWeight(g, abs(xs), abs(dy), s, dbS);
        assertSumClose(what + " backwardWeight dW", want, got, s, kW, 0);
        assertSumClose(what + " backwardWeight dBias", dbW, dbG, dbS, kW, 0);
        Arrays.fill(got, Float.NaN);
        Vk.backwardWeight(g, xs, dy, got, null);
        assertSumClose(what + " backwardWeight without dBias", want, got, s, kW, 0);
    }

    // ------------------------------------------------------------------ activation

    /** Was ActivationTest: sizes across the vector width, a long array, inputs around softplus' threshold. */
    @Test
    void activation() {
        int[] ns = {1, 2, 3, 7, 15, 16, 17, 31, 33, 35, 63, 65, 97, 256, 40000};
        for (Activation.Kind kind : Activation.Kind.values())
            for (int n : ns) {
                Random rnd = new Random(n * 31L + kind.ordinal());
                float[] x = new float[n], g = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = (float) (rnd.nextGaussian() * 6);
                    if (i % 11 == 0) x[i] = 18 + 6 * rnd.nextFloat();   // around softplus' threshold
                    if (kind == Activation.Kind.EXP) x[i] = Math.min(x[i], 30f);
                    g[i] = (float) rnd.nextGaussian();
                }
                float[] yr = new float[n], yv = nan(n), gr = new float[n], gv = nan(n);
                ref.activation().forward(kind, x, yr, n);
                vec.activation().forward(kind, x, yv, n);
                ref.activation().backward(kind, x, yr, g, gr, n);
                vec.activation().backward(kind, x, yv, g, gv, n);
                // polynomial exp/log1p/tanh-free forms (≤ 3e−7 each), a few float ops after them: 2e−6 relative
                for (int i = 0; i < n; i++) {
                    float tolY = 2e-6f * Math.max(1f, Math.abs(yr[i])), tolG = 2e-6f * Math.max(1f, Math.abs(gr[i]));
                    int fi = i;
                    assertTrue(Math.abs(yr[i] - yv[i]) <= tolY, () -> kind + " n=" + n + " forward at x=" + x[fi] + ": " + yv[fi] + " vs " + yr[fi]);
                    assertTrue(Math.abs(gr[i] - gv[i]) <= tolG, () -> kind + " n=" + n + " backward at x=" + x[fi] + ": " + gv[fi] + " vs " + gr[fi]);
                }
                // in place (in == out) gives the same
                float[] inPlace = x.clone();
                vec.activation().forward(kind, inPlace, inPlace, n);
                for (int i = 0; i < n; i++) assertEquals(Float.floatToRawIntBits(yv[i]), Float.floatToRawIntBits(inPlace[i]), kind + " in place");
            }
    }

    // ------------------------------------------------------------------ selective scan

    /**
     * Forward and backward. Channels straddle the vector width, lengths the 64-step chunk, states
     * the four-state unroll (N mod 4 = 0..3). Normwise: y is a float inner product of N terms
     * after decays with ≤ 2e−7 relative error and a softplus of ≤ 3e−7, carried through a
     * contracting recurrence: 1e−5 of max |y|. The gradients sum over batch·L (dA, dD, dDeltaBias)
     * or channels (dB, dC) in float, up to ~1e3 terms: 1e−4.
     */
    @Test
    void selectiveScan() {
        int[] channels = {1, 3, 7, 8, 15, 16, 17, 33};
        int[] lengths = {1, 2, 3, 17, 63, 64, 65, 130};
        int[] states = {1, 3, 4, 5, 7, 8, 16, 17};
        String[] names = {"du", "dDelta", "dA", "dB", "dC", "dD", "dDeltaBias"};
        for (int ci = 0; ci < channels.length; ci++)
            for (int li = 0; li < lengths.length; li++) {
                SelectiveScan.Dims d = new SelectiveScan.Dims(1 + (ci + li) % 2, 1 + (ci * 3 + li) % 4, channels[ci], lengths[li],
                        states[(ci + li) % states.length]);
                SelectiveScanTest.Inputs in = new SelectiveScanTest.Inputs(d, 7L * ci + 131L * li, (ci + li) % 3 == 0);
                float[] u = in.f(in.u), delta = in.f(in.delta), a = in.f(in.a), b = in.f(in.b), c = in.f(in.c);
                float[] skip = in.f(in.skip), bias = in.f(in.bias), dy = in.f(in.dy);
                float[][] out = new float[2][];
                float[][][] grads = new float[2][][];
                KernelProvider[] ps = {ref, vec};
                for (int p = 0; p < 2; p++) {
                    SelectiveScan s = ps[p].selectiveScan();
                    out[p] = nan(u.length);
                    s.forward(d, u, delta, a, b, c, skip, bias, out[p]);
                    float[][] g = {nan(u.length), nan(u.length), nan(a.length), nan(b.length), nan(c.length), nan(skip.length), nan(bias.length)};
                    s.backward(d, u, delta, a, b, c, skip, bias, dy, g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
                    grads[p] = g;
                }
                assertNormClose("scan " + d + " y", out[0], out[1], 1e-5);
                for (int k = 0; k < names.length; k++) assertNormClose("scan " + d + " " + names[k], grads[0][k], grads[1][k], 1e-4);
            }
    }

    // ------------------------------------------------------------------ cross scan

    /** Grids from 1×1 up, channels across the vector width, N mod 4 = 0..3. Normwise as the forward scan's y. */
    @Test
    void crossScan() {
        int[] hw = {1, 2, 3, 7, 15, 16, 17};
        int[] channels = {1, 3, 7, 8, 15, 16, 17, 33};
        int[] ranks = {1, 2, 3, 6};
        int[] states = {1, 3, 4, 5, 16, 17};
        for (int ci = 0; ci < channels.length; ci++)
            for (int hi = 0; hi < hw.length; hi += 1 + ci % 2) {
                CrossScan.Dims d = new CrossScan.Dims(1 + (ci + hi) % 2, hw[hi], hw[(hi + ci + 3) % hw.length], channels[ci],
                        ranks[(ci + hi) % ranks.length], states[(2 * ci + hi) % states.length]);
                CrossScanTest.Inputs in = CrossScanTest.Inputs.random(d, 17L * ci + hi);
                float[] want = in.run(ref.crossScan()), got = in.run(vec.crossScan());
                assertNormClose("cross scan " + d, want, got, 1e-5);
            }
    }

    // ------------------------------------------------------------------ channels-last depthwise 3×3

    @Test
    void channelsLastDepthwise() {
        int[] hw = {1, 2, 3, 7, 15, 16, 17};
        int[] cs = {1, 3, 7, 8, 15, 16, 17, 31, 33, 65, 97};
        int cases = 0;
        for (int ci = 0; ci < cs.length; ci++)
            for (int hi = 0; hi < hw.length; hi += 2) {
                int c = cs[ci], h = hw[(hi + ci) % hw.length], w = hw[(hi + 2 * ci + 1) % hw.length], batch = 1 + cases % 2;
                int stride = cases % 3 == 0 ? c : 2 * c + 1, off = cases % 2 == 0 ? 0 : 3;   // in place in a wider row, as SS2D reads in_proj
                boolean silu = cases % 4 >= 2, withBias = cases % 5 != 0;
                Random r = new Random(cases++);
                float[] x = gauss(r, off + (batch * h * w - 1) * stride + c, 1, 0), wt = gauss(r, c * 9, 1, 0);
                float[] bias = withBias ? gauss(r, c, 1, 0) : null;
                int n = batch * h * w * c;
                float[] want = new float[n], got = nan(n), s = new float[n];
                ref.channelsLastDepthwise().forward(batch, h, w, c, x, off, stride, wt, bias, silu, want);
                vec.channelsLastDepthwise().forward(batch, h, w, c, x, off, stride, wt, bias, silu, got);
                ref.channelsLastDepthwise().forward(batch, h, w, c, abs(x), off, stride, abs(wt), abs(bias), false, s);
                // 10 terms; SiLU's slope is at most 1.1, and its polynomial sigmoid adds 2e−6 relative
                if (silu) for (int i = 0; i < n; i++) s[i] *= 1.1f;
                assertSumClose("depthwise b=" + batch + " " + h + "x" + w + " c=" + c + " stride=" + stride + " silu=" + silu,
                        want, got, s, 10, silu ? 2e-6 : 0);
            }
    }

    // ------------------------------------------------------------------ channels-last dense 3×3

    @Test
    void channelsLastConv3x3() {
        int[] hw = {1, 2, 3, 7, 15, 16, 17};
        int[][] io = {{1, 1}, {3, 16}, {7, 8}, {16, 16}, {17, 15}, {33, 31}, {8, 65}, {65, 7}};
        int cases = 0;
        for (int ci = 0; ci < io.length; ci++)
            for (int hi = 0; hi < hw.length; hi += 2) {
                int cin = io[ci][0], cout = io[ci][1], h = hw[(hi + ci) % hw.length], w = hw[(hi + 3 * ci + 2) % hw.length];
                int batch = 1 + cases % 2, stride = cases % 3 == 0 ? cin : 2 * cin + 3, off = cases % 2 == 0 ? 0 : 5;
                boolean affine = cases % 2 == 1, relu = cases % 4 >= 2, withBias = cases % 3 != 1;
                Random r = new Random(1000 + cases++);
                float[] x = gauss(r, off + (batch * h * w - 1) * stride + cin, 1, 0), wt = gauss(r, cout * cin * 9, 0.3, 0);
                float[] scale = affine ? gauss(r, cin, 0.5, 1) : null, shift = affine ? gauss(r, cin, 0.5, 0) : null;
                float[] bias = withBias ? gauss(r, cout, 1, 0) : null;
                int n = batch * h * w * cout;
                float[] want = new float[n], got = nan(n), s = new float[n];
                ref.channelsLastConv3x3().forward(batch, h, w, cin, cout, x, off, stride, scale, shift, wt, bias, relu, want);
                vec.channelsLastConv3x3().forward(batch, h, w, cin, cout, x, off, stride, scale, shift, wt, bias, relu, got);
                ref.channelsLastConv3x3().forward(batch, h, w, cin, cout, abs(x), off, stride, abs(scale), abs(shift), abs(wt), abs(bias), false, s);
                // 9·cin products + bias; the affine input adds two roundings per term (ReLU is 1-Lipschitz)
                assertSumClose("conv3x3 b=" + batch + " " + h + "x" + w + " " + cin + "->" + cout + " affine=" + affine + " relu=" + relu,
                        want, got, s, 9 * cin + 1 + (affine ? 2 : 0), 0);
            }
    }

    // ------------------------------------------------------------------ LayerNorm rows

    /**
     * Was KernelsProviderTest.layerNormRowsMatchReference. Mean and variance are float sums of c
     * terms in lane order (the reference sums in double); for these well-conditioned rows (mean 1,
     * sd 3) that is ~1e−6 relative, so 1e−5 on mean/rstd and 2e−5 (3e−5 gated: the sigmoid) on y.
     */
    @Test
    void layerNormRows() {
        for (int c : new int[]{1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 63, 65, 96, 97, 384, 1001}) {
            Random r = new Random(c);
            float[] x = new float[c + 5], w = new float[c], b = new float[c], z = new float[c + 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 3 + 1);
            for (int i = 0; i < c; i++) { w[i] = (float) r.nextGaussian(); b[i] = (float) r.nextGaussian(); }
            for (int i = 0; i < z.length; i++) z[i] = (float) (r.nextGaussian() * 4);
            float[] y1 = new float[c + 2], y2 = new float[c + 2];
            LayerNormRows R = ref.layerNormRows(), Vk = vec.layerNormRows();
            float[] s1 = R.normalizeRow(x, 5, c, w, b, y1, 2, 1e-5f), s2 = Vk.normalizeRow(x, 5, c, w, b, y2, 2, 1e-5f);
            assertEquals(s1[0], s2[0], 1e-5 * Math.max(1, Math.abs(s1[0])), "mean c=" + c);
            assertEquals(s1[1], s2[1], 1e-5 * s1[1], "rstd c=" + c);
            for (int i = 2; i < c + 2; i++) assertEquals(y1[i], y2[i], 2e-5 * Math.max(1, Math.abs(y1[i])), "c=" + c + " j=" + i);
            assertEquals(0f, y2[0] + y2[1], "wrote before yOff");
            R.normalizeRowGated(x, 5, c, w, b, z, 3, y1, 2, 1e-5f, new float[c]);
            Vk.normalizeRowGated(x, 5, c, w, b, z, 3, y2, 2, 1e-5f, new float[c]);
            for (int i = 2; i < c + 2; i++) assertEquals(y1[i], y2[i], 3e-5 * Math.max(1, Math.abs(y1[i])), "gated c=" + c + " j=" + i);
        }
    }
}
