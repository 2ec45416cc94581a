package org.medmamba.eval;


/**
 * One class's one-vs-rest counts at one decision rule. Unlike {@link ClassMetrics}, a ratio with a
 * zero denominator is NaN (shown as "n/a"): a PPV of 0 for a threshold no sample reaches would
 * read as "every positive call is wrong".
 *
 * @param rule      what chose the point, e.g. "argmax" or "sensitivity ≥ 0.95"
 * @param threshold positive when the class's probability is ≥ threshold; NaN for argmax (the
 *                  class with the highest probability is called)
 */
public record OperatingPoint(String rule, double threshold, long tp, long fp, long tn, long fn) {
    public static final String ARGMAX = "argmax (default)";

    public double sensitivity() { return ratio(tp, tp + fn); }
    public double specificity() { return ratio(tn, tn + fp); }
    /** Positive predictive value (precision). */
    public double ppv() { return ratio(tp, tp + fp); }
    /** Negative predictive value. */
    public double npv() { return ratio(tn, tn + fn); }

    /** Counts when score ≥ threshold is called positive. */
    public static OperatingPoint at(String rule, boolean[] positive, float[] score, double threshold) {
        boolean[] called = new boolean[score.length];
        for (int i = 0; i < score.length; i++) called[i] = score[i] >= threshold;
        return counts(rule, threshold, positive, called);
    }

    /** Counts for given calls (e.g. argmax == class). */
    public static OperatingPoint counts(String rule, double threshold, boolean[] positive, boolean[] called) {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < positive.length; i++) {
            if (called[i]) { if (positive[i]) tp++; else fp++; }
            else if (positive[i]) fn++;
            else tn++;
        }
        return new OperatingPoint(rule, threshold, tp, fp, tn, fn);
    }

    /**
     * The highest threshold (a distinct score) whose sensitivity is ≥ target — the most specific
     * rule that still finds that share of the positives; null without positives.
     */
    public static OperatingPoint forSensitivity(String rule, boolean[] positive, float[] score, double target) {
        return sweep(rule, positive, score, target, true);
    }

    /** The lowest threshold (a distinct score) whose specificity is ≥ target; null without negatives. */
    public static OperatingPoint forSpecificity(String rule, boolean[] positive, float[] score, double target) {
        return sweep(rule, positive, score, target, false);
    }

    // lowering the threshold group by group: sensitivity only rises, specificity only falls
    private static OperatingPoint sweep(String rule, boolean[] positive, float[] score, double target, boolean bySensitivity) {
        int n = score.length;
        int[] order = Ranks.descending(score);
        long pos = 0;
        for (boolean p : positive) if (p) pos++;
        long neg = n - pos;
        if (bySensitivity ? pos == 0 : neg == 0) return null;
        long tp = 0, fp = 0;
        double chosen = Double.NaN;
        for (int k = 0; k < n; k++) {
            if (positive[order[k]]) tp++;
            else fp++;
            if (k < n - 1 && score[order[k + 1]] == score[order[k]]) continue; // inside a tie group
            if (bySensitivity) {
                if ((double) tp / pos >= target) return at(rule, positive, score, score[order[k]]);
            } else if ((double) (neg - fp) / neg >= target) chosen = score[order[k]];
            else break;
        }
        if (bySensitivity) return null; // target above 1
        // no threshold keeps specificity ≥ target: above every score, nothing is called positive
        return at(rule, positive, score, Double.isNaN(chosen) ? Math.nextUp(score[order[0]]) : chosen);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
