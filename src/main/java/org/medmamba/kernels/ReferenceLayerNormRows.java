package org.medmamba.kernels;

/** Plain-Java {@link LayerNormRows}: statistics and the affine in double, one element at a time. */
final class ReferenceLayerNormRows implements LayerNormRows {
    @Override
    public float[] normalizeRow(float[] x, int xOff, int c, float[] w, float[] b, float[] y, int yOff, float eps) {
        double sum = 0;
        for (int j = 0; j < c; j++) sum += x[xOff + j];
        double mean = sum / c, sq = 0;
        for (int j = 0; j < c; j++) {
            double d = x[xOff + j] - mean;
            sq += d * d;
        }
        double rs = 1.0 / Math.sqrt(sq / c + (double) eps);
        for (int j = 0; j < c; j++) y[yOff + j] = (float) ((x[xOff + j] - mean) * rs * w[j] + b[j]);
        return new float[]{(float) mean, (float) rs};
    }

    @Override
    public void normalizeRowGated(float[] x, int xOff, int c, float[] w, float[] b, float[] z, int zOff,
                                  float[] y, int yOff, float eps, float[] tmp) {
        normalizeRow(x, xOff, c, w, b, y, yOff, eps);
        for (int j = 0; j < c; j++) y[yOff + j] = (float) (y[yOff + j] * ReferenceActivation.f(Activation.Kind.SILU, z[zOff + j]));
    }
}
