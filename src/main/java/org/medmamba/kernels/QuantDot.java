package org.medmamba.kernels;

/**
 * Kernels on {@link QuantizedMatrix} weights: y = x · Wᵀ with the integers turned into floats in
 * registers (no float copy of W), and a row-block dequantisation for the large products that
 * {@link QuantGemm} hands to the float GEMM instead.
 */
public interface QuantDot {
    /**
     * y[i·n + j] = Σ_c x[xOff + i·k + c] · W[j][c] for i < m, j < n = w.rows(), k = w.cols();
     * y is overwritten from yOff.
     */
    void dot(int m, float[] x, int xOff, QuantizedMatrix w, float[] y, int yOff);

    /** Rows [r0, r1) of W as floats into out[0 ..], row-major, w.cols() wide. */
    void dequantize(QuantizedMatrix w, int r0, int r1, float[] out);
}
