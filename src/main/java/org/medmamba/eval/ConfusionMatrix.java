package org.medmamba.eval;

/** counts[t][p]: samples of true class t predicted as p. */
public record ConfusionMatrix(long[][] counts) {
    public static ConfusionMatrix of(int classes, int[] truth, int[] predicted) {
        long[][] c = new long[classes][classes];
        for (int i = 0; i < truth.length; i++) c[truth[i]][predicted[i]]++;
        return new ConfusionMatrix(c);
    }

    public int classes() {
        return counts.length;
    }

    public long total() {
        long s = 0;
        for (long[] r : counts) for (long v : r) s += v;
        return s;
    }

    public long truePositives(int k) {
        return counts[k][k];
    }

    /** Samples of class k (row sum). */
    public long actual(int k) {
        long s = 0;
        for (long v : counts[k]) s += v;
        return s;
    }

    /** Samples predicted as k (column sum). */
    public long predicted(int k) {
        long s = 0;
        for (long[] r : counts) s += r[k];
        return s;
    }
}
