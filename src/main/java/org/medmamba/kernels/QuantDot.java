package org.medmamba.kernels;

/**
 * Kernels on {@link QuantizedMatrix} weights: y = x · Wᵀ for a few rows of x, the integers turned
 * into floats in registers (no float copy of W; many rows go to {@link Gemm#sgemmQuantized}
 * instead), and a dequantisation of whole rows, for the float copy a loaded bundle keeps for
 * passes that need float weights (gradients, the NCHW convolution path).
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
