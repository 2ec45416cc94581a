package org.medmamba.data.transform;

/**
 * Separable antialiased bilinear resize of a crop box of a planar image into a caller-owned
 * buffer: a horizontal pass into scratch, then a vertical pass. Holds its scratch buffer, so one
 * instance per thread avoids per-image garbage.
 */
public final class Resampler {
    private float[] rows = new float[0];

    /**
     * Resizes the box (top, left, boxH, boxW) of src (channels × srcH × srcW) to outH × outW,
     * writing channels × outH × outW floats at dst[dstOff].
     */
    public void resize(float[] src, int channels, int srcH, int srcW, double top, double left, double boxH, double boxW,
                       int outH, int outW, float[] dst, int dstOff) {
        AxisWeights wx = AxisWeights.of(left, boxW, srcW, outW);
        AxisWeights wy = AxisWeights.of(top, boxH, srcH, outH);
        int y0 = wy.first[0], y1 = wy.first[outH - 1] + wy.count[outH - 1]; // source rows any output needs
        for (int y = 0; y < outH; y++) {
            y0 = Math.min(y0, wy.first[y]);
            y1 = Math.max(y1, wy.first[y] + wy.count[y]);
        }
        int needRows = y1 - y0;
        if (rows.length < needRows * outW) rows = new float[needRows * outW];
        float[] tmp = rows;
        for (int c = 0; c < channels; c++) {
            int plane = c * srcH * srcW;
            for (int y = y0; y < y1; y++) {
                int srow = plane + y * srcW, trow = (y - y0) * outW;
                for (int x = 0; x < outW; x++) {
                    int f = wx.first[x], n = wx.count[x], wb = x * wx.maxTaps;
                    float acc = 0;
                    for (int t = 0; t < n; t++) acc += src[srow + f + t] * wx.w[wb + t];
                    tmp[trow + x] = acc;
                }
            }
            int out = dstOff + c * outH * outW;
            for (int y = 0; y < outH; y++) {
                int f = wy.first[y] - y0, n = wy.count[y], wb = y * wy.maxTaps, orow = out + y * outW;
                float w0 = wy.w[wb];
                int r0 = f * outW;
                for (int x = 0; x < outW; x++) dst[orow + x] = tmp[r0 + x] * w0;
                for (int t = 1; t < n; t++) {
                    float wt = wy.w[wb + t];
                    int rt = (f + t) * outW;
                    for (int x = 0; x < outW; x++) dst[orow + x] += tmp[rt + x] * wt;
                }
            }
        }
    }
}
