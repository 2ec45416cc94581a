package org.medmamba.kernels;

/**
 * Single-precision matrix multiply on row-major arrays:
 * {@code C = op(A) · op(B) + beta · C}, where op(A) is m×k and op(B) is k×n.
 * With {@code transA}, A is stored k×m (element (i,p) at {@code a[aOff + p*lda + i]});
 * otherwise m×k ({@code a[aOff + i*lda + p]}). Likewise for B. beta is 0 (overwrite; C's old
 * contents are ignored, even NaN) or 1 (accumulate, used for gradients).
 */
public interface Gemm {
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float beta,
               float[] c, int cOff, int ldc);

    /**
     * {@code C = A · Bq + beta · C} with integer weights: A is m×k row-major (a[aOff + i*lda + p]),
     * Bq(p, j) = W[j][col(p)] for the n = w.rows() rows of W, col(p) = p (k = w.cols(): y = x·Wᵀ)
     * or {@code columns[p]} when given (k = columns.length: a convolution reading W's columns in
     * im2col order). The result equals {@link #sgemm} on the dequantised floats of W; the integers
     * are widened where the GEMM packs its B panels, never into a float copy of W.
     */
    void sgemmQuantized(int m, float[] a, int aOff, int lda, QuantizedMatrix w, int[] columns,
                        float beta, float[] c, int cOff, int ldc);
}
