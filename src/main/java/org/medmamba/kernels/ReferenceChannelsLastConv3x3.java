package org.medmamba.kernels;

/** Plain-Java {@link ChannelsLastConv3x3}, summed in double. */
final class ReferenceChannelsLastConv3x3 implements ChannelsLastConv3x3 {
    @Override
    public void forward(int batch, int h, int w, int cin, int cout, float[] x, int xOff, int xStride,
                        float[] inScale, float[] inShift, float[] weight, float[] bias, boolean relu, float[] y) {
        conv(batch, h, w, cin, cout, x, xOff, xStride, inScale, inShift, weight, null, bias, relu, y);
    }

    /** The integer weights read one by one ({@link QuantizedMatrix#get}), then the same sum. */
    @Override
    public void forwardQuantized(int batch, int h, int w, int cin, int cout, float[] x, int xOff, int xStride,
                                 float[] inScale, float[] inShift, QuantizedMatrix weight, float[] outScale, float[] bias,
                                 boolean relu, float[] y) {
        ChannelsLastConv3x3.checkQuantized(weight, cin, cout);
        float[] wf = new float[cout * 9 * cin];
        for (int r = 0; r < cout; r++)
            for (int c = 0; c < 9 * cin; c++) wf[r * 9 * cin + c] = weight.get(r, c);
        conv(batch, h, w, cin, cout, x, xOff, xStride, inScale, inShift, wf, outScale, bias, relu, y);
    }

    private static void conv(int batch, int h, int w, int cin, int cout, float[] x, int xOff, int xStride,
                             float[] inScale, float[] inShift, float[] weight, float[] outScale, float[] bias, boolean relu, float[] y) {
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                    for (int co = 0; co < cout; co++) {
                        double s = 0;
                        for (int di = 0; di < 3; di++)
                            for (int dj = 0; dj < 3; dj++) {
                                int ii = i + di - 1, jj = j + dj - 1;
                                if (ii < 0 || ii >= h || jj < 0 || jj >= w) continue;
                                int xo = xOff + ((b * h + ii) * w + jj) * xStride;
                                for (int ci = 0; ci < cin; ci++) {
                                    double v = inScale == null ? x[xo + ci] : (double) x[xo + ci] * inScale[ci] + inShift[ci];
                                    s += weight[((co * cin + ci) * 3 + di) * 3 + dj] * v;
                                }
                            }
                        if (outScale != null) s *= outScale[co];
                        if (bias != null) s += bias[co];
                        y[((b * h + i) * w + j) * cout + co] = (float) (relu ? Math.max(0, s) : s);
                    }
    }
}
