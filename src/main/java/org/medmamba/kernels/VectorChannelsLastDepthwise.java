package org.medmamba.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector-API {@link ChannelsLastDepthwise}: vectorised across channels (a pixel's channels are
 * contiguous), one task per output row. For each block of V channels the nine tap weights stay in
 * registers while the row is swept; taps are summed in the reference's order (bias, then row by
 * row, left to right). Channels beyond the last whole vector are done in scalar code.
 */
final class VectorChannelsLastDepthwise implements ChannelsLastDepthwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    @Override
    public void forward(int batch, int h, int w, int c, float[] x, int xOff, int xStride, float[] weight, float[] bias,
                        boolean silu, float[] y) {
        if (xStride < c) throw new IllegalArgumentException("depthwise: pixel stride " + xStride + " < channels " + c);
        if ((long) xOff + ((long) batch * h * w - 1) * xStride + c > x.length || (long) batch * h * w * c > y.length
                || weight.length < 9 * c || (bias != null && bias.length < c))
            throw new IllegalArgumentException("depthwise: array too small for " + batch + "x" + h + "x" + w + "x" + c);
        float[] wt = new float[9 * c];                        // [tap][channel]
        for (int ch = 0; ch < c; ch++) for (int t = 0; t < 9; t++) wt[t * c + ch] = weight[ch * 9 + t];
        float[] bs = bias == null ? new float[c] : bias;
        int vc = S.loopBound(c);
        Parallel.range(batch * h, Math.max(1, 4096 / Math.max(1, w * c)), (s, e) -> {
            for (int row = s; row < e; row++) {
                int b = row / h, i = row % h;
                int up = i > 0 ? xOff + (row - 1) * w * xStride : -1;
                int mid = xOff + row * w * xStride;
                int down = i < h - 1 ? xOff + (row + 1) * w * xStride : -1;
                int yo = row * w * c;
                for (int c0 = 0; c0 < vc; c0 += V) vectorBlock(x, up, mid, down, w, xStride, c, c0, wt, bs, y, yo);
                for (int ch = vc; ch < c; ch++) scalarChannel(x, up, mid, down, w, xStride, c, ch, wt, bs, y, yo);
                if (silu) VectorActivation.forwardSerial(Activation.Kind.SILU, y, y, yo, yo + w * c);
            }
        });
    }

    private static void vectorBlock(float[] x, int up, int mid, int down, int w, int xs, int c, int c0,
                                    float[] wt, float[] bs, float[] y, int yo) {
        FloatVector w00 = FloatVector.fromArray(S, wt, c0), w01 = FloatVector.fromArray(S, wt, c + c0), w02 = FloatVector.fromArray(S, wt, 2 * c + c0);
        FloatVector w10 = FloatVector.fromArray(S, wt, 3 * c + c0), w11 = FloatVector.fromArray(S, wt, 4 * c + c0), w12 = FloatVector.fromArray(S, wt, 5 * c + c0);
        FloatVector w20 = FloatVector.fromArray(S, wt, 6 * c + c0), w21 = FloatVector.fromArray(S, wt, 7 * c + c0), w22 = FloatVector.fromArray(S, wt, 8 * c + c0);
        FloatVector bias = FloatVector.fromArray(S, bs, c0);
        for (int j = 0; j < w; j++) {
            FloatVector acc = bias;
            int o = j * xs + c0;
            boolean left = j > 0, right = j < w - 1;
            if (up >= 0) {
                if (left) acc = FloatVector.fromArray(S, x, up + o - xs).fma(w00, acc);
                acc = FloatVector.fromArray(S, x, up + o).fma(w01, acc);
                if (right) acc = FloatVector.fromArray(S, x, up + o + xs).fma(w02, acc);
            }
            if (left) acc = FloatVector.fromArray(S, x, mid + o - xs).fma(w10, acc);
            acc = FloatVector.fromArray(S, x, mid + o).fma(w11, acc);
            if (right) acc = FloatVector.fromArray(S, x, mid + o + xs).fma(w12, acc);
            if (down >= 0) {
                if (left) acc = FloatVector.fromArray(S, x, down + o - xs).fma(w20, acc);
                acc = FloatVector.fromArray(S, x, down + o).fma(w21, acc);
                if (right) acc = FloatVector.fromArray(S, x, down + o + xs).fma(w22, acc);
            }
            acc.intoArray(y, yo + j * c + c0);
        }
    }

    private static void scalarChannel(float[] x, int up, int mid, int down, int w, int xs, int c, int ch,
                                      float[] wt, float[] bs, float[] y, int yo) {
        int[] rows = {up, mid, down};
        for (int j = 0; j < w; j++) {
            float acc = bs[ch];
            for (int di = 0; di < 3; di++) {
                if (rows[di] < 0) continue;
                for (int dj = 0; dj < 3; dj++) {
                    int jj = j + dj - 1;
                    if (jj < 0 || jj >= w) continue;
                    acc = Math.fma(x[rows[di] + jj * xs + ch], wt[(di * 3 + dj) * c + ch], acc);
                }
            }
            y[yo + j * c + ch] = acc;
        }
    }
}
