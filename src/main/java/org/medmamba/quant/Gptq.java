package org.medmamba.quant;

import org.medmamba.kernels.Parallel;
import org.medmamba.kernels.QuantizedMatrix;

/**
 * Error-compensating rounding of a weight matrix (GPTQ: Frantar, Ashkboos, Hoefler &amp; Alistarh,
 * "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers", ICLR 2023).
 * Rounding each weight to its nearest level (what {@link Quantizer#quantize} does) minimises the
 * weight error; what matters is the layer's output error ‖X·(W_q − W)ᵀ‖² on real inputs X.
 * GPTQ quantises the columns of W left to right and, after each, moves its rounding error onto the
 * columns not yet quantised in the proportions that the inputs' Gram matrix H = XᵀX says keep
 * the output closest (the optimal-brain-surgeon update, through the upper Cholesky factor of
 * H⁻¹). The rows are independent: each is done on its own, in parallel.
 *
 * <p>The result is stored exactly as {@link Quantizer#quantize} stores it (same scheme, groups and
 * layout); an int4 group's scale is chosen by the same clip search, on the group's weights as the
 * earlier columns' errors have moved them. With H a multiple of the identity (inputs
 * uncorrelated, all of the same power) nothing moves and the result is nearest rounding.
 */
public final class Gptq {
    /** Added to H's diagonal, as a fraction of its mean diagonal (GPTQ's default): keeps H⁻¹ well conditioned. */
    public static final double DAMPING = 0.01;

    private Gptq() {}

    /**
     * Quantises w (rows × cols, row-major) for inputs whose Gram matrix is h (cols × cols,
     * row-major, symmetric; any positive multiple of XᵀX gives the same result).
     */
    public static QuantizedMatrix quantize(float[] w, int rows, int cols, double[] h, int bits, int group) {
        if ((long) rows * cols != w.length) throw new IllegalArgumentException(w.length + " values for a " + rows + "x" + cols + " matrix");
        if (h.length != (long) cols * cols) throw new IllegalArgumentException("Gram matrix of " + h.length + " values for " + cols + " columns");
        if (bits != 8 && bits != 4) throw new IllegalArgumentException("bits must be 8 or 4, got " + bits);
        double[] u = inverseFactor(damped(h, cols), cols);
        int g = bits == 4 ? Quantizer.effectiveGroup(cols, group) : cols;
        int groups = (cols + g - 1) / g;
        int[] q = new int[rows * cols];
        float[] scales = new float[rows * (bits == 4 ? groups : 1)];
        Parallel.range(rows, 1, (r0, r1) -> {
            double[] row = new double[cols];
            float[] part = new float[g];
            for (int r = r0; r < r1; r++) {
                for (int j = 0; j < cols; j++) row[j] = w[r * cols + j];
                float s = 0;
                if (bits == 8) {
                    float max = 0;
                    for (int j = 0; j < cols; j++) max = Math.max(max, Math.abs(w[r * cols + j]));
                    s = max / 127f;
                    scales[r] = s;
                }
                for (int i = 0; i < cols; i++) {
                    if (bits == 4 && i % g == 0) {   // the group's scale, from its weights as they stand now
                        int c1 = Math.min(cols, i + g);
                        float max = 0;
                        for (int j = i; j < c1; j++) {
                            part[j - i] = (float) row[j];
                            max = Math.max(max, Math.abs(part[j - i]));
                        }
                        s = Quantizer.bestScale(part, 0, 0, c1 - i, max);
                        scales[r * groups + i / g] = s;
                    }
                    int level = s == 0 ? 0 : bits == 8 ? clamp(Math.round((float) row[i] / s), -127, 127)
                            : clamp(Math.round((float) row[i] / s), -8, 7);
                    q[r * cols + i] = level;
                    double err = (row[i] - (double) s * level) / u[i * cols + i];
                    if (err == 0) continue;
                    int o = i * cols;
                    for (int j = i + 1; j < cols; j++) row[j] -= err * u[o + j];
                }
            }
        });
        return Quantizer.pack(rows, cols, bits, group, q, scales);
    }

    /**
     * H with damping added to the diagonal; a dead input (zero diagonal: never active on the
     * calibration images) gets the mean live diagonal, so its weights are rounded to nearest and
     * its error moves nowhere. Both scale with H, so any positive multiple of H gives the same result.
     */
    static double[] damped(double[] h, int n) {
        double[] a = h.clone();
        double sum = 0;
        int live = 0;
        for (int i = 0; i < n; i++)
            if (a[i * n + i] > 0) {
                sum += a[i * n + i];
                live++;
            }
        double mean = live == 0 ? 1 : sum / live;
        for (int i = 0; i < n; i++)
            if (!(a[i * n + i] > 0)) {
                for (int j = 0; j < n; j++) a[i * n + j] = a[j * n + i] = 0;
                a[i * n + i] = mean;
            }
        for (int i = 0; i < n; i++) a[i * n + i] += DAMPING * mean;
        return a;
    }

    /**
     * The upper triangular U with UᵀU = A⁻¹ for a symmetric positive definite A (n × n,
     * row-major): A = R·Rᵀ with R upper triangular (a Cholesky factorisation taken from the last
     * row up), then U = R⁻¹, since A⁻¹ = R⁻ᵀR⁻¹. Avoids forming A⁻¹.
     */
    static double[] inverseFactor(double[] a, int n) {
        double[] r = new double[n * n];
        for (int j = n - 1; j >= 0; j--) {
            final int jj = j;
            double d = a[j * n + j];
            for (int k = j + 1; k < n; k++) d -= r[j * n + k] * r[j * n + k];
            if (!(d > 0)) throw new IllegalArgumentException("Gram matrix is not positive definite (pivot " + d + " at column " + j + ")");
            double rjj = Math.sqrt(d);
            r[j * n + j] = rjj;
            Parallel.range(j, 256, (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    double s = a[i * n + jj];
                    int oi = i * n, oj = jj * n;
                    for (int k = jj + 1; k < n; k++) s -= r[oi + k] * r[oj + k];
                    r[oi + jj] = s / rjj;
                }
            });
        }
        // U = R⁻¹ row by row from the bottom: R_ii U_i· = e_i − Σ_{k>i} R_ik U_k·
        double[] u = new double[n * n];
        for (int i = n - 1; i >= 0; i--) {
            final int ii = i;
            double inv = 1 / r[i * n + i];
            u[i * n + i] = inv;
            Parallel.range(n - i - 1, 256, (c0, c1) -> {
                int from = ii + 1 + c0, to = ii + 1 + c1;
                for (int k = ii + 1; k < to; k++) {
                    double f = r[ii * n + k];
                    if (f == 0) continue;
                    int ok = k * n, oi = ii * n;
                    for (int c = Math.max(from, k); c < to; c++) u[oi + c] -= f * u[ok + c];
                }
                for (int c = from; c < to; c++) u[ii * n + c] *= inv;
            });
        }
        return u;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
