package org.medmamba.explain;

import org.medmamba.kernels.CrossScan;
import org.medmamba.model.ScanCapture;

import java.util.stream.IntStream;

/**
 * The hidden attention of the selective scan (Ali, Zimerman &amp; Wolf, 2024). Unrolling the S6
 * recurrence h_t = exp(Δ_t A) h_{t−1} + Δ_t B_t x_t, y_t = ⟨C_t, h_t⟩ + D x_t of one channel gives
 * y_t = Σ_{s ≤ t} α[t, s] x_s + D x_t with
 * <pre>
 *   α[t, s] = Σ_n C_t[n] · (Π_{j = s+1..t} exp(Δ_j A[n])) · Δ_s B_s[n]
 * </pre>
 * a lower-triangular L × L matrix per channel and direction: the scan is exactly this attention,
 * not an approximation of it ({@code ScanAttentionTest} rebuilds the kernel's output from it).
 */
public final class ScanAttention {
    /** Direction names in the kernel's order: row-major, column-major, and the two reverses. */
    public static final java.util.List<String> DIRECTIONS = java.util.List.of("row", "col", "row-rev", "col-rev");

    private ScanAttention() {}

    /**
     * α of one channel (batch item bi, direction k, channel d of the direction), row-major L × L in
     * scan order (α[t·L + s]; zero above the diagonal), in double. O(L²·N) time.
     */
    public static double[] channel(ScanCapture c, int bi, int k, int d) {
        int len = c.length();
        double[] alpha = new double[len * len];
        column(c, bi, k, d, (t, s, v) -> alpha[t * len + s] = v);
        return alpha;
    }

    /**
     * Per direction, the mean over the direction's channels of |α|, placed on the grid: the result
     * [k][p·L + q] is how much grid cell p reads grid cell q through direction k's scan (p = the
     * cell of step t, q = the cell of step s). O(4·D·L²·N) time, 4·L² floats; the per-channel
     * matrices are never stored (each channel's columns are added to the mean as they are made).
     */
    public static float[][] directionMaps(ScanCapture c, int bi) {
        int len = c.length(), ch = c.channels(), h = c.height(), w = c.width();
        float[][] out = new float[4][];
        IntStream.range(0, 4).parallel().forEach(k -> {   // one direction per task: each owns its output
            int[] cell = new int[len];
            for (int l = 0; l < len; l++) cell[l] = CrossScan.gridIndex(k, l, h, w);
            float[] m = new float[len * len];
            float inv = 1f / ch;
            for (int d = 0; d < ch; d++) column(c, bi, k, d, (t, s, v) -> m[cell[t] * len + cell[s]] += (float) Math.abs(v) * inv);
            out[k] = m;
        });
        return out;
    }

    private interface Sink {
        void put(int t, int s, double v);
    }

    /**
     * α column by column: for each source step s the state contribution g = Δ_s B_s is carried
     * forward through the decays exp(Δ_t A), read out by C_t at every t ≥ s. The decays are one
     * exp per (step, state) instead of one per (t, s, state).
     */
    private static void column(ScanCapture c, int bi, int k, int d, Sink sink) {
        int len = c.length(), n = c.state(), kd = 4 * c.channels(), e = k * c.channels() + d;
        int row = (bi * kd + e) * len, bc = (bi * 4 + k) * len * n;
        float[] delta = c.delta(), a = c.a(), b = c.b(), cc = c.c();
        double[] dt = new double[len], decay = new double[len * n];
        for (int t = 0; t < len; t++) {
            dt[t] = softplus(delta[row + t] + (double) c.deltaBias()[e]);
            for (int i = 0; i < n; i++) decay[t * n + i] = Math.exp(dt[t] * a[e * n + i]);
        }
        double[] g = new double[n];
        for (int s = 0; s < len; s++) {
            for (int i = 0; i < n; i++) g[i] = dt[s] * b[bc + s * n + i];
            for (int t = s; t < len; t++) {
                double v = 0;
                int o = bc + t * n;
                if (t > s) for (int i = 0; i < n; i++) g[i] *= decay[t * n + i];
                for (int i = 0; i < n; i++) v += cc[o + i] * g[i];
                sink.put(t, s, v);
            }
        }
    }

    /** The kernels' softplus, threshold included: v > 20 ? v : log1p(exp(v)). */
    static double softplus(double v) {
        return v > 20 ? v : Math.log1p(Math.exp(v));
    }
}
