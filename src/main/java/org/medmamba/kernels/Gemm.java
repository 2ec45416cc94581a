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
}
