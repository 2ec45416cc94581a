package org.medmamba.data;

/**
 * A decoded image as planar float samples in [0, 1]: data[c·H·W + y·W + x].
 */
public record Image(int channels, int height, int width, float[] data) {
    public Image {
        if ((long) channels * height * width != data.length)
            throw new IllegalArgumentException("image data length " + data.length + " != " + channels + "x" + height + "x" + width);
    }

    /** To the requested channel count: gray → RGB by replication, RGB → gray by ITU-R 601 luma (PIL's "L"). */
    public Image toChannels(int c) {
        if (c == channels) return this;
        int n = height * width;
        float[] out = new float[c * n];
        if (channels == 1) {
            for (int k = 0; k < c; k++) System.arraycopy(data, 0, out, k * n, n);
        } else if (c == 1 && channels >= 3) {
            for (int i = 0; i < n; i++) out[i] = 0.299f * data[i] + 0.587f * data[n + i] + 0.114f * data[2 * n + i];
        } else if (c == 3 && channels == 4) {
            System.arraycopy(data, 0, out, 0, 3 * n);
        } else {
            throw new IllegalArgumentException("cannot convert " + channels + " channels to " + c);
        }
        return new Image(c, height, width, out);
    }

    /**
     * Bilinear resize with half-pixel centres (PyTorch's align_corners=False, no antialiasing);
     * returns this image when it already has the size.
     */
    public Image resize(int h, int w) {
        if (h == height && w == width) return this;
        float[] out = new float[channels * h * w];
        float sy = (float) height / h, sx = (float) width / w;
        int[] x0 = new int[w], x1 = new int[w];
        float[] fx = new float[w];
        for (int x = 0; x < w; x++) {
            float src = Math.max(0f, (x + 0.5f) * sx - 0.5f);
            x0[x] = Math.min((int) src, width - 1);
            x1[x] = Math.min(x0[x] + 1, width - 1);
            fx[x] = src - x0[x];
        }
        for (int c = 0; c < channels; c++) {
            int ib = c * height * width, ob = c * h * w;
            for (int y = 0; y < h; y++) {
                float src = Math.max(0f, (y + 0.5f) * sy - 0.5f);
                int y0 = Math.min((int) src, height - 1), y1 = Math.min(y0 + 1, height - 1);
                float fy = src - y0;
                int r0 = ib + y0 * width, r1 = ib + y1 * width;
                for (int x = 0; x < w; x++) {
                    float top = data[r0 + x0[x]] + (data[r0 + x1[x]] - data[r0 + x0[x]]) * fx[x];
                    float bot = data[r1 + x0[x]] + (data[r1 + x1[x]] - data[r1 + x0[x]]) * fx[x];
                    out[ob + y * w + x] = top + (bot - top) * fy;
                }
            }
        }
        return new Image(channels, h, w, out);
    }

    /** (x − mean[c]) / std[c], written into dst at offset (one image of a batch). */
    public void normalizeInto(float[] mean, float[] std, float[] dst, int offset) {
        int n = height * width;
        for (int c = 0; c < channels; c++) {
            float m = mean[c], inv = 1f / std[c];
            for (int i = 0; i < n; i++) dst[offset + c * n + i] = (data[c * n + i] - m) * inv;
        }
    }
}
