package org.medmamba.kernels;

/** Plain-Java {@link Gemm}: the obvious triple loop, accumulated in double. Tests compare against it. */
final class ReferenceGemm implements Gemm {
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? (float) s : (float) (s + beta * c[ci]);
            }
        }
    }

    /** Each weight read through {@link QuantizedMatrix#get}, the same double sum. */
    @Override
    public void sgemmQuantized(int m, float[] a, int aOff, int lda, QuantizedMatrix w, int[] columns,
                               float beta, float[] c, int cOff, int ldc) {
        int n = w.rows(), k = w.checkColumnOrder(columns);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[aOff + i * lda + p] * w.get(j, columns == null ? p : columns[p]);
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? (float) s : (float) (s + beta * c[ci]);
            }
    }
}
