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
        if (xStride < cin) throw new IllegalArgumentException("conv3x3: pixel stride " + xStride + " < " + cin + " channels");
        if ((inScale == null) != (inShift == null)) throw new IllegalArgumentException("conv3x3: input scale and shift must come together");
        long pixels = (long) batch * h * w;
        if (xOff + (pixels - 1) * xStride + cin > x.length || pixels * cout > y.length || weight.length < 9L * cin * cout
                || (bias != null && bias.length < cout))
            throw new IllegalArgumentException("conv3x3: array too small for " + batch + "x" + h + "x" + w + "x" + cin + "->" + cout);
        final int k = 9 * cin, total = (int) pixels;
        float[] wk = tapMajor(weight, cin, cout);
        int chunk = (int) Math.max(1, Math.min(total, COLS_FLOATS / k));
        float[] cols = new float[chunk * k];
        for (int p0 = 0; p0 < total; p0 += chunk) {
            final int rows = Math.min(chunk, total - p0), base = p0;
            Parallel.range(rows, Math.max(1, 4096 / k), (s, e) -> {
                for (int r = s; r < e; r++) {
                    im2colRow(base + r, h, w, cin, x, xOff, xStride, inScale, inShift, cols, r * k);
                    int yo = (base + r) * cout;
                    if (bias == null) java.util.Arrays.fill(y, yo, yo + cout, 0f);
                    else System.arraycopy(bias, 0, y, yo, cout);
                }
            });
            gemm.sgemm(false, false, rows, cout, k, cols, 0, k, wk, 0, cout, 1f, y, base * cout, cout);
        }
        if (relu) {
            int n = (int) (pixels * cout);
            Parallel.range((n + 4095) / 4096, 4, (s, e) -> {
                int from = s * 4096, to = Math.min(n, e * 4096), vb = from + S.loopBound(to - from), i = from;
                for (; i < vb; i += V) FloatVector.fromArray(S, y, i).max(0f).intoArray(y, i);
                for (; i < to; i++) y[i] = Math.max(0f, y[i]);
            });
        }
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
