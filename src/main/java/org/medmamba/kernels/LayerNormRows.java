package org.medmamba.kernels;

/** Row-wise LayerNorm arithmetic (the forward of LayerNorm over the last axis, one row at a time). */
public interface LayerNormRows {

    /**
     * y[yOff + j] = (x[xOff + j] − mean) / √(var + eps) · w[j] + b[j] for j in [0, c), with the biased
     * variance; returns {mean, 1/√(var + eps)}.
     */
    float[] normalizeRow(float[] x, int xOff, int c, float[] w, float[] b, float[] y, int yOff, float eps);

    /**
     * {@link #normalizeRow} followed by y ← y ⊙ SiLU(z) for the row's gate z[zOff .. zOff + c)
     * (SS2D's out_norm(y) * silu(z) in one pass); tmp holds at least c floats.
     */
    void normalizeRowGated(float[] x, int xOff, int c, float[] w, float[] b, float[] z, int zOff,
                           float[] y, int yOff, float eps, float[] tmp);
}
