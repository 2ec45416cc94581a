package org.medmamba.data.image;


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
        // Vertical pass first: it combines whole source rows (contiguous, so C2 vectorises it), and
        // leaves only outH rows for the scalar horizontal pass. Only the columns the taps read.
        int x0 = srcW, x1 = 0;
        for (int x = 0; x < outW; x++) {
            x0 = Math.min(x0, wx.first[x]);
            x1 = Math.max(x1, wx.first[x] + wx.count[x]);
        }
        int cols = x1 - x0;
        if (rows.length < outH * cols) rows = new float[outH * cols];
        float[] tmp = rows;
        for (int c = 0; c < channels; c++) {
            int plane = c * srcH * srcW;
            for (int y = 0; y < outH; y++) {
                int f = wy.first[y], n = wy.count[y], wb = y * wy.maxTaps, trow = y * cols;
                float w0 = wy.w[wb];
                int s0 = plane + f * srcW + x0;
                for (int x = 0; x < cols; x++) tmp[trow + x] = src[s0 + x] * w0;
                for (int t = 1; t < n; t++) {
                    float wt = wy.w[wb + t];
                    int st = plane + (f + t) * srcW + x0;
                    for (int x = 0; x < cols; x++) tmp[trow + x] += src[st + x] * wt;
                }
            }
            int out = dstOff + c * outH * outW;
            for (int y = 0; y < outH; y++) {
                int trow = y * cols - x0, orow = out + y * outW;
                for (int x = 0; x < outW; x++) {
                    int f = wx.first[x], n = wx.count[x], wb = x * wx.maxTaps;
                    float acc = 0;
                    for (int t = 0; t < n; t++) acc += tmp[trow + f + t] * wx.w[wb + t];
                    dst[orow + x] = acc;
                }
            }
        }
    }
}
