package org.medmamba.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap confidence intervals: resample the evaluated samples with replacement,
 * recompute the metric, take the 2.5th and 97.5th percentiles (numpy's linear interpolation).
 * Resamples where the metric is undefined (e.g. AUC without a positive) are skipped and counted.
 */
public final class Bootstrap {
    public record Interval(double low, double high, int resamples, int skipped) {}

    private Bootstrap() {}

    public static Interval of(int[] truth, float[][] probs, int resamples, long seed, double level,
                              ToDoubleFunction<int[]> metricOfIndices) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = truth.length;
        double[] values = new double[resamples];
        int kept = 0, skipped = 0;
        int[] idx = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) idx[i] = rng.nextInt(n);
            double v = metricOfIndices.applyAsDouble(idx);
            if (Double.isNaN(v)) skipped++;
            else values[kept++] = v;
        }
        if (kept == 0) return new Interval(Double.NaN, Double.NaN, resamples, skipped);
        double[] v = Arrays.copyOf(values, kept);
        Arrays.sort(v);
        double alpha = (1 - level) / 2;
        return new Interval(percentile(v, alpha), percentile(v, 1 - alpha), resamples, skipped);
    }

    /** numpy.percentile's default (linear) on sorted values; q in [0, 1]. */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
