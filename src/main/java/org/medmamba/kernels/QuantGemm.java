package org.medmamba.kernels;

/**
 * y = x · Wᵀ for a {@link QuantizedMatrix} W, choosing how: for a few rows of x (the memory-bound
 * case) the integer dot kernel reads W once and never widens it in memory; for many rows (every
 * image layer: a 56×56 feature map is 3,136 rows even at batch 1) the product is compute-bound,
 * so blocks of W are widened into a small float panel and multiplied by the float GEMM, which
 * reuses each weight across rows far better than a dot product can.
 */
public final class QuantGemm {
    /** At most this many rows of x go to the integer dot kernel. */
    public static final int DOT_ROWS = 8;
    /** Rows of W widened per panel: bounds the temporary floats to PANEL_ROWS × cols. */
    static final int PANEL_ROWS = 256;

    private QuantGemm() {}

    /** y (m × w.rows(), from yOff, overwritten) = x (m × w.cols(), from xOff) · Wᵀ. */
    public static void multiply(int m, float[] x, int xOff, QuantizedMatrix w, float[] y, int yOff) {
        int n = w.rows(), k = w.cols();
        if (m <= DOT_ROWS) {
            Kernels.quantDot().dot(m, x, xOff, w, y, yOff);
            return;
        }
        int rowsPer = Math.min(n, PANEL_ROWS);
        float[] panel = new float[rowsPer * k];
        Gemm gemm = Kernels.gemm();
        for (int r0 = 0; r0 < n; r0 += rowsPer) {
            int r1 = Math.min(n, r0 + rowsPer);
            w.dequantize(r0, r1, panel);
            gemm.sgemm(false, true, m, r1 - r0, k, x, xOff, k, panel, 0, k, 0f, y, yOff + r0, n);
        }
    }
}
