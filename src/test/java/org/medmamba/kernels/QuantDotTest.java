package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The integer-weight kernels: Vector API against the plain reference, and both against the
 * matrix element by element, at odd sizes around the vector width, for int8 and for int4 with
 * groups wider and narrower than a vector (the scalar fallback) and a short last group.
 * Bound as in {@link KernelPairTest}: (K + 2·groups + 4)·2^−24 · Σ|x·w| per output.
 */
class QuantDotTest {
    static final int[] KS = {1, 3, 16, 17, 31, 33, 64, 65, 97, 130};
    static final int[] NS = {1, 2, 7, 17};
    static final int[] GROUPS = {2, 6, 32, 64, 128};

    static QuantizedMatrix random(Random r, int rows, int cols, int bits, int group) {
        if (bits == 8) {
            byte[] d = new byte[rows * cols];
            for (int i = 0; i < d.length; i++) d[i] = (byte) (r.nextInt(255) - 127);
            float[] s = new float[rows];
            for (int i = 0; i < rows; i++) s[i] = 0.001f + r.nextFloat() * 0.02f;
            return new QuantizedMatrix(rows, cols, 8, 0, d, s);
        }
        int groups = (cols + group - 1) / group;
        byte[] d = new byte[rows * groups * (group / 2)];
        r.nextBytes(d);
        float[] s = new float[rows * groups];
        for (int i = 0; i < s.length; i++) s[i] = 0.001f + r.nextFloat() * 0.1f;
        return new QuantizedMatrix(rows, cols, 4, group, d, s);
    }

    static double[] exact(int m, float[] x, QuantizedMatrix w, boolean abs) {
        int n = w.rows(), k = w.cols();
        double[] y = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    double t = (double) x[i * k + c] * w.get(j, c);
                    s += abs ? Math.abs(t) : t;
                }
                y[i * n + j] = s;
            }
        return y;
    }

    static void check(String what, int m, float[] x, QuantizedMatrix w, float[] got) {
        double[] want = exact(m, x, w, false), bound = exact(m, x, w, true);
        double slack = (w.cols() + 2.0 * w.groups() + 4) * 0x1p-24;
        for (int i = 0; i < want.length; i++)
            assertTrue(Math.abs(got[i] - want[i]) <= slack * bound[i] + 1e-30,
                    what + " element " + i + ": " + got[i] + " vs " + want[i] + " (bound " + slack * bound[i] + ")");
    }

    @Test
    void dotKernelsMatchTheMatrixAtOddSizes() {
        Random r = new Random(7);
        QuantDot ref = Kernels.reference().quantDot();
        QuantDot vec = Kernels.vectorApiAvailable() ? new VectorKernels().quantDot() : null;
        int cases = 0;
        for (int bits : new int[]{8, 4})
            for (int g : bits == 8 ? new int[]{0} : GROUPS)
                for (int k : KS)
                    for (int n : NS)
                        for (int m : new int[]{1, 3}) {
                            QuantizedMatrix w = random(r, n, k, bits, g);
                            float[] x = new float[m * k + 5];
                            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                            float[] xs = java.util.Arrays.copyOfRange(x, 5, x.length);
                            String what = "int" + bits + " g" + g + " m" + m + " n" + n + " k" + k;
                            float[] y = new float[m * n + 3];
                            ref.dot(m, x, 5, w, y, 3);
                            check(what + " reference", m, xs, w, java.util.Arrays.copyOfRange(y, 3, y.length));
                            if (vec != null) {
                                float[] yv = new float[m * n + 3];
                                vec.dot(m, x, 5, w, yv, 3);
                                check(what + " vector", m, xs, w, java.util.Arrays.copyOfRange(yv, 3, yv.length));
                            }
                            cases++;
                        }
        assertEquals(2 * (1 + GROUPS.length) * KS.length * NS.length / 2 * 2, cases);
    }

    @Test
    void dequantizationIsExactAndEqualInBothKernelSets() {
        Random r = new Random(11);
        QuantDot ref = Kernels.reference().quantDot();
        for (int bits : new int[]{8, 4})
            for (int k : new int[]{5, 33, 130}) {
                QuantizedMatrix w = random(r, 9, k, bits, 32);
                float[] a = new float[4 * k];
                ref.dequantize(w, 3, 7, a);
                for (int row = 3; row < 7; row++)
                    for (int c = 0; c < k; c++) assertEquals(w.get(row, c), a[(row - 3) * k + c], 0f);
                if (Kernels.vectorApiAvailable()) {
                    float[] b = new float[4 * k];
                    new VectorKernels().quantDot().dequantize(w, 3, 7, b);
                    assertArrayEquals(a, b, 0f, "int" + bits + " k" + k);
                }
            }
    }

    @Test
    void manyRowsGoThroughTheFloatGemmWithTheSameResult() {
        Random r = new Random(3);
        for (int bits : new int[]{8, 4}) {
            int m = QuantGemm.DOT_ROWS + 5, n = 259, k = 47;   // ragged row and column panels
            QuantizedMatrix w = random(r, n, k, bits, 16);
            float[] x = new float[m * k];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            float[] y = new float[m * n];
            QuantGemm.multiply(m, x, 0, w, y, 0);
            check("gemm int" + bits, m, x, w, y);
        }
    }

    @Test
    void inconsistentMatricesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new QuantizedMatrix(2, 3, 8, 0, new byte[5], new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedMatrix(2, 3, 4, 3, new byte[6], new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedMatrix(2, 3, 4, 4, new byte[3], new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedMatrix(1, 2, 8, 0, new byte[2], new float[]{Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedMatrix(1, 2, 5, 0, new byte[2], new float[1]));
    }
}
