package org.medmamba.kernels;

/** The plain reference for {@link QuantDot}: element by element, in double. */
final class ReferenceQuantDot implements QuantDot {
    @Override
    public void dot(int m, float[] x, int xOff, QuantizedMatrix w, float[] y, int yOff) {
        int n = w.rows(), k = w.cols();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < k; c++) s += (double) x[xOff + i * k + c] * w.get(j, c);
                y[yOff + i * n + j] = (float) s;
            }
    }

    @Override
    public void dequantize(QuantizedMatrix w, int r0, int r1, float[] out) {
        int k = w.cols();
        for (int r = r0; r < r1; r++)
            for (int c = 0; c < k; c++) out[(r - r0) * k + c] = w.get(r, c);
    }
}
