package org.medmamba.eval.report;

/**
 * Macro one-vs-rest AUC of bootstrap resamples without re-sorting: each class's scores are sorted
 * once; a resample is a multiplicity per sample, and its AUC is the Mann–Whitney statistic
 * (ties count half — the same number as the trapezoidal ROC area) summed over tie groups in
 * O(n). Same definition as {@link org.medmamba.eval.Metrics#macroAuc()}: the mean over the classes
 * whose AUC is defined in the resample.
 */
final class ResampledAuc {
    private final int[] truth;
    private final int[][] order;         // per class: sample indices by ascending score
    private final boolean[][] groupEnd;  // per class: order[k] is the last of its tie group
    private final int[] weight;          // scratch: multiplicity of each sample in the resample

    ResampledAuc(int[] truth, float[][] probs, int classes) {
        int n = truth.length;
        this.truth = truth;
        this.order = new int[classes][];
        this.groupEnd = new boolean[classes][n];
        this.weight = new int[n];
        for (int c = 0; c < classes; c++) {
            int cc = c;
            order[c] = java.util.stream.IntStream.range(0, n).boxed()
                    .sorted((a, b) -> Float.compare(probs[a][cc], probs[b][cc])).mapToInt(Integer::intValue).toArray();
            for (int k = 0; k < n; k++)
                groupEnd[c][k] = k == n - 1 || probs[order[c][k + 1]][c] != probs[order[c][k]][c];
        }
    }

    /** Macro AUC of the resample given as sample indices (with repeats); NaN if no class has one. */
    double macroAuc(int[] indices) {
        java.util.Arrays.fill(weight, 0);
        for (int i : indices) weight[i]++;
        double sum = 0;
        int defined = 0;
        for (int c = 0; c < order.length; c++) {
            double auc = auc(c);
            if (!Double.isNaN(auc)) {
                sum += auc;
                defined++;
            }
        }
        return defined == 0 ? Double.NaN : sum / defined;
    }

    /** Class c's AUC under the current weights. */
    private double auc(int c) {
        int[] ord = order[c];
        boolean[] end = groupEnd[c];
        long negBelow = 0, pos = 0, gp = 0, gn = 0;
        double pairs = 0; // positive-negative pairs ranked right, ties half
        for (int k = 0; k < ord.length; k++) {
            int i = ord[k], w = weight[i];
            if (truth[i] == c) gp += w;
            else gn += w;
            if (end[k]) {
                pairs += gp * (negBelow + 0.5 * gn);
                negBelow += gn;
                pos += gp;
                gp = 0;
                gn = 0;
            }
        }
        return pos == 0 || negBelow == 0 ? Double.NaN : pairs / ((double) pos * negBelow);
    }
}
