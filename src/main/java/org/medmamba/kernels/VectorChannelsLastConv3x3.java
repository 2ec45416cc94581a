package org.medmamba.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ChannelsLastConv3x3} as im2col + GEMM over chunks of pixels that may span images: rows
 * are pixels, columns the 9·Cin taps laid out tap-major (so each tap of a pixel is one contiguous
 * copy of Cin floats), and the weights a (9·Cin) × Cout matrix. The output rows come out
 * channels-last directly, and chunks spanning images keep the GEMM tall where H·W is small
 * (7×7 in the last stage). y starts as the bias and the GEMM accumulates onto it; ReLU is a
 * final pass.
 */
final class VectorChannelsLastConv3x3 implements ChannelsLastConv3x3 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Largest im2col chunk, in floats (16 MB). */
    static final int COLS_FLOATS = 4 << 20;
    private final Gemm gemm;

    public VectorChannelsLastConv3x3(Gemm gemm) {
        this.gemm = gemm;
    }

    @Override
    public void forward(int batch, int h, int w, int cin, int cout, float[] x, int xOff, int xStride,
                        float[] inScale, float[] inShift, float[] weight, float[] bias, boolean relu, float[] y) {
        check(batch, h, w, cin, cout, x, xOff, xStride, inScale, inShift, bias, null, y);
        if (weight.length < 9L * cin * cout)
            throw new IllegalArgumentException("conv3x3: array too small for " + batch + "x" + h + "x" + w + "x" + cin + "->" + cout);
        conv(batch, h, w, cin, cout, x, xOff, xStride, inScale, inShift, tapMajor(weight, cin, cout), null, null, bias, relu, y);
    }

    /**
     * The integer form: the same im2col + GEMM, the GEMM reading W's integers in tap-major column
     * order and widening them as it packs its B panels ({@link Gemm#sgemmQuantized}), so no float
     * copy of the weights is made; outScale, bias and ReLU in one pass at the end.
     */
    @Override
    public void forwardQuantized(int batch, int h, int w, int cin, int cout, float[] x, int xOff, int xStride,
                                 float[] inScale, float[] inShift, QuantizedMatrix weight, float[] outScale, float[] bias,
                                 boolean relu, float[] y) {
        ChannelsLastConv3x3.checkQuantized(weight, cin, cout);
        check(batch, h, w, cin, cout, x, xOff, xStride, inScale, inShift, bias, outScale, y);
        conv(batch, h, w, cin, cout, x, xOff, xStride, inScale, inShift, null, weight, outScale, bias, relu, y);
    }

    private static void check(int batch, int h, int w, int cin, int cout, float[] x, int xOff, int xStride,
                              float[] inScale, float[] inShift, float[] bias, float[] outScale, float[] y) {
        if (xStride < cin) throw new IllegalArgumentException("conv3x3: pixel stride " + xStride + " < " + cin + " channels");
        if ((inScale == null) != (inShift == null)) throw new IllegalArgumentException("conv3x3: input scale and shift must come together");
        long pixels = (long) batch * h * w;
        if (xOff + (pixels - 1) * xStride + cin > x.length || pixels * cout > y.length || (bias != null && bias.length < cout)
                || (outScale != null && outScale.length < cout))
            throw new IllegalArgumentException("conv3x3: array too small for " + batch + "x" + h + "x" + w + "x" + cin + "->" + cout);
    }

    /**
     * y = act((im2col(pre(x)) · wk)·outScale + bias), wk the (9·Cin) × Cout tap-major weights as
     * floats, or (wk null) the integer W read in tap-major order.
     */
    private void conv(int batch, int h, int w, int cin, int cout, float[] x, int xOff, int xStride, float[] inScale, float[] inShift,
                      float[] wk, QuantizedMatrix q, float[] outScale, float[] bias, boolean relu, float[] y) {
        final int k = 9 * cin, total = batch * h * w;
        final int[] order = wk == null ? tapOrder(cin) : null;
        // without outScale y starts as the bias and the GEMM accumulates onto it
        final float[] start = outScale == null ? bias : null;
        int chunk = (int) Math.max(1, Math.min(total, COLS_FLOATS / k));
        float[] cols = new float[chunk * k];
        for (int p0 = 0; p0 < total; p0 += chunk) {
            final int rows = Math.min(chunk, total - p0), base = p0;
            Parallel.range(rows, Math.max(1, 4096 / k), (s, e) -> {
                for (int r = s; r < e; r++) {
                    im2colRow(base + r, h, w, cin, x, xOff, xStride, inScale, inShift, cols, r * k);
                    int yo = (base + r) * cout;
                    if (start == null) java.util.Arrays.fill(y, yo, yo + cout, 0f);
                    else System.arraycopy(start, 0, y, yo, cout);
                }
            });
            if (wk != null) gemm.sgemm(false, false, rows, cout, k, cols, 0, k, wk, 0, cout, 1f, y, base * cout, cout);
            else gemm.sgemmQuantized(rows, cols, 0, k, q, order, 1f, y, base * cout, cout);
        }
        if (outScale == null && !relu) return;
        final float[] add = outScale == null ? null : bias;
        int vb = S.loopBound(cout);
        Parallel.range(total, Math.max(1, 4096 / cout), (s, e) -> {
            for (int p = s; p < e; p++) {
                int o = p * cout, c = 0;
                for (; c < vb; c += V) {
                    FloatVector v = FloatVector.fromArray(S, y, o + c);
                    if (outScale != null) v = v.mul(FloatVector.fromArray(S, outScale, c));
                    if (add != null) v = v.add(FloatVector.fromArray(S, add, c));
                    if (relu) v = v.max(0f);
                    v.intoArray(y, o + c);
                }
                for (; c < cout; c++) {
                    float v = y[o + c];
                    if (outScale != null) v *= outScale[c];
                    if (add != null) v += add[c];
                    y[o + c] = relu ? Math.max(0f, v) : v;
                }
            }
        });
    }

    /** Column p = tap·Cin + ci of the im2col rows is column ci·9 + tap of PyTorch's (Cout, Cin·3·3) weight. */
    static int[] tapOrder(int cin) {
        int[] order = new int[9 * cin];
        for (int t = 0; t < 9; t++)
            for (int ci = 0; ci < cin; ci++) order[t * cin + ci] = ci * 9 + t;
        return order;
    }

    /**
     * PyTorch's (Cout, Cin, 3, 3) as the (9·Cin) × Cout matrix wk[(tap·Cin + ci)·Cout + co], built
     * 16 output channels at a time so reads and writes both stay in short runs (done per call: a
     * naive transpose of the last stage's 1.3M weights cost several ms at batch 1).
     */
    private static float[] tapMajor(float[] weight, int cin, int cout) {
        float[] wk = new float[9 * cin * cout];
        Parallel.range((cout + 15) / 16, 1, (s, e) -> {
            for (int co0 = s * 16; co0 < Math.min(cout, e * 16); co0 += 16) {
                int ce = Math.min(cout, co0 + 16);
                for (int ci = 0; ci < cin; ci++)
                    for (int co = co0; co < ce; co++) {
                        int src = (co * cin + ci) * 9;
                        for (int t = 0; t < 9; t++) wk[(t * cin + ci) * cout + co] = weight[src + t];
                    }
            }
        });
        return wk;
    }

    /** cols[o + tap·cin + ci] = pre(x at the tap's pixel), or 0 outside the image. */
    private static void im2colRow(int p, int h, int w, int cin, float[] x, int xOff, int xs,
                                  float[] sc, float[] sh, float[] cols, int o) {
        int b = p / (h * w), i = p / w % h, j = p % w, vb = S.loopBound(cin);
        for (int di = 0; di < 3; di++)
            for (int dj = 0; dj < 3; dj++, o += cin) {
                int ii = i + di - 1, jj = j + dj - 1;
                if (ii < 0 || ii >= h || jj < 0 || jj >= w) {
                    java.util.Arrays.fill(cols, o, o + cin, 0f);
                    continue;
                }
                int src = xOff + ((b * h + ii) * w + jj) * xs;
                if (sc == null) {
                    System.arraycopy(x, src, cols, o, cin);
                    continue;
                }
                int c = 0;
                for (; c < vb; c += V)
                    FloatVector.fromArray(S, x, src + c).fma(FloatVector.fromArray(S, sc, c), FloatVector.fromArray(S, sh, c)).intoArray(cols, o + c);
                for (; c < cin; c++) cols[o + c] = Math.fma(x[src + c], sc[c], sh[c]);
            }
    }
}
