package org.medmamba.data.image;

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
     * Bilinear resize with half-pixel centres, antialiased when shrinking (PIL's and torchvision's
     * antialias=True semantics, see {@link org.medmamba.data.image.Resampler}); returns this
     * image when it already has the size.
     */
    public Image resize(int h, int w) {
        if (h == height && w == width) return this;
        float[] out = new float[channels * h * w];
        new org.medmamba.data.image.Resampler().resize(data, channels, height, width, 0, 0, height, width, h, w, out, 0);
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
