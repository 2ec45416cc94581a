package org.medmamba.kernels;

/**
 * y = x · Wᵀ for a {@link QuantizedMatrix} W, choosing how: for a few rows of x (the memory-bound
 * case) the integer dot kernel reads W once and never widens it in memory; for many rows (every
 * image layer: a 56×56 feature map is 3,136 rows even at batch 1) the product is compute-bound,
 * so it goes to the blocked GEMM ({@link Gemm#sgemmQuantized}), which widens the integers as it
 * packs its B panels and reuses each widened weight across a whole block of rows.
 */
public final class QuantGemm {
    /** At most this many rows of x go to the integer dot kernel. */
    public static final int DOT_ROWS = 8;

    private QuantGemm() {}

    /** y (m × w.rows(), from yOff, overwritten) = x (m × w.cols(), from xOff) · Wᵀ. */
    public static void multiply(int m, float[] x, int xOff, QuantizedMatrix w, float[] y, int yOff) {
        int n = w.rows(), k = w.cols();
        if (m <= DOT_ROWS) {
            Kernels.quantDot().dot(m, x, xOff, w, y, yOff);
            return;
        }
        Kernels.gemm().sgemmQuantized(m, x, xOff, k, w, null, 0f, y, yOff, n);
    }
}
