package org.medmamba.kernels;

/** Plain-Java {@link ChannelsLastDepthwise}, summed in double. */
final class ReferenceChannelsLastDepthwise implements ChannelsLastDepthwise {
    @Override
    public void forward(int batch, int h, int w, int c, float[] x, int xOff, int xStride, float[] weight, float[] bias,
                        boolean silu, float[] y) {
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                    for (int ch = 0; ch < c; ch++) {
                        double s = bias == null ? 0 : bias[ch];
                        for (int di = 0; di < 3; di++)
                            for (int dj = 0; dj < 3; dj++) {
                                int ii = i + di - 1, jj = j + dj - 1;
                                if (ii < 0 || ii >= h || jj < 0 || jj >= w) continue;
                                s += (double) weight[ch * 9 + di * 3 + dj] * x[xOff + ((b * h + ii) * w + jj) * xStride + ch];
                            }
                        y[((b * h + i) * w + j) * c + ch] = (float) (silu ? s / (1 + Math.exp(-s)) : s);
                    }
    }
}
