package org.medmamba.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medmamba.kernels.QuantizedMatrix;

/** GPTQ's factor, its reduction to nearest rounding, and the output error it exists to lower. */
class GptqTest {
    /** X (rows × cols) with correlated columns, as real layer inputs have: Z·M, M mixing neighbours. */
    static float[] correlated(Random r, int rows, int cols) {
        double[] z = new double[rows * cols];
        for (int i = 0; i < z.length; i++) z[i] = r.nextGaussian();
        float[] x = new float[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) {
                double v = 0;
                for (int k = Math.max(0, j - 3); k <= j; k++) v += z[i * cols + k] * (1 + 0.3 * (j % 5));
                x[i * cols + j] = (float) v;
            }
        return x;
    }

    static double[] gram(float[] x, int rows, int cols) {
        double[] h = new double[cols * cols];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < cols; i++)
                for (int j = 0; j < cols; j++) h[i * cols + j] += (double) x[r * cols + i] * x[r * cols + j];
        return h;
    }

    /** ‖X·(W_q − W)ᵀ‖² from the rows of X themselves. */
    static double outputError(float[] x, int n, float[] w, QuantizedMatrix q) {
        int rows = q.rows(), cols = q.cols();
        double e = 0;
        for (int s = 0; s < n; s++)
            for (int r = 0; r < rows; r++) {
                double y = 0;
                for (int j = 0; j < cols; j++) y += (double) x[s * cols + j] * (q.get(r, j) - w[r * cols + j]);
                e += y * y;
            }
        return e;
    }

    static float[] weights(Random r, int rows, int cols) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) (0.05 * r.nextGaussian());
        return w;
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "37", "130", "300"})   // 300: rows and columns split between threads
    void theFactorIsTheUpperCholeskyFactorOfTheInverse(int n) {
        Random r = new Random(n);
        float[] x = correlated(r, 3 * n + 5, n);
        double[] a = Gptq.damped(gram(x, 3 * n + 5, n), n);
        double[] u = Gptq.inverseFactor(a, n);
        double[] utu = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double v = 0;
                for (int m = 0; m <= Math.min(i, k); m++) v += u[m * n + i] * u[m * n + k];
                utu[i * n + k] = v;
            }
        double worst = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                if (j < i) assertEquals(0, u[i * n + j], "U is upper triangular");
                double v = 0;   // (UᵀU·A)_ij
                for (int k = 0; k < n; k++) v += utu[i * n + k] * a[k * n + j];
                worst = Math.max(worst, Math.abs(v - (i == j ? 1 : 0)));
            }
        assertTrue(worst < 1e-9, "UᵀU·A differs from I by " + worst);
        for (int i = 0; i < n; i++) assertTrue(u[i * n + i] > 0);
    }

    /** With H = c·I nothing moves between columns: GPTQ stores exactly what nearest rounding stores. */
    @ParameterizedTest
    @CsvSource({"8, 0, 7, 33", "4, 32, 7, 100", "4, 64, 5, 37", "4, 128, 3, 6"})
    void onUncorrelatedInputsItIsNearestRounding(int bits, int group, int rows, int cols) {
        float[] w = weights(new Random(rows * cols), rows, cols);
        double[] h = new double[cols * cols];
        for (int i = 0; i < cols; i++) h[i * cols + i] = 4.5;
        QuantizedMatrix g = Gptq.quantize(w, rows, cols, h, bits, group), n = Quantizer.quantize(w, rows, cols, bits, group);
        assertEquals(n.group(), g.group());
        assertArrayEquals(n.data(), g.data());
        assertArrayEquals(n.scales(), g.scales());
    }

    /** What GPTQ is for: on correlated inputs the layer's output error falls well below nearest rounding's. */
    @ParameterizedTest
    @CsvSource({"8, 0, 0.7", "4, 32, 0.7", "4, 64, 0.7"})
    void onCorrelatedInputsTheOutputErrorDrops(int bits, int group, double atMost) {
        Random r = new Random(5);
        int n = 600, rows = 24, cols = 96;
        float[] x = correlated(r, n, cols), w = weights(r, rows, cols);
        QuantizedMatrix g = Gptq.quantize(w, rows, cols, gram(x, n, cols), bits, group), q = Quantizer.quantize(w, rows, cols, bits, group);
        double eg = outputError(x, n, w, g), en = outputError(x, n, w, q);
        assertTrue(eg < atMost * en, "GPTQ error x" + eg / en + " of nearest rounding's");
        assertEquals(eg, Calibration.outputError(w, g, gram(x, n, cols), cols), 1e-7 * eg, "the Gram form is the output error");
        for (int r0 = 0; r0 < rows; r0++)
            for (int c = 0; c < cols; c++) {
                float v = g.get(r0, c);
                float s = bits == 8 ? g.scales()[r0] : g.scales()[r0 * g.groups() + c / g.group()];
                int level = Math.round(v / s);
                assertTrue(bits == 8 ? Math.abs(level) <= 127 : level >= -8 && level <= 7, "level " + level);
            }
    }

    /**
     * An input never active on the calibration images (a dead ReLU channel) leaves H singular; it is
     * still quantised, and the result does not depend on the scale of H (inputs of 1e-3 as of 1).
     */
    @Test
    void deadInputsAreQuantisedAndTheScaleOfHDoesNotMatter() {
        Random r = new Random(9);
        int n = 200, rows = 5, cols = 40;
        float[] x = correlated(r, n, cols), w = weights(r, rows, cols);
        for (int s = 0; s < n; s++) x[s * cols + 7] = 0;
        double[] h = gram(x, n, cols), small = h.clone();
        for (int i = 0; i < small.length; i++) small[i] *= 1e-6;
        QuantizedMatrix g = Gptq.quantize(w, rows, cols, h, 4, 32), gs = Gptq.quantize(w, rows, cols, small, 4, 32);
        assertArrayEquals(g.data(), gs.data());
        assertArrayEquals(g.scales(), gs.scales());
        for (int r0 = 0; r0 < rows; r0++)
            assertEquals(w[r0 * cols + 7], g.get(r0, 7), g.scales()[r0 * g.groups()] / 2 + 1e-7, "row " + r0);
    }
}
