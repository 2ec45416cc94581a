package org.medmamba.eval;

import java.util.Arrays;

/**
 * One-vs-rest precision–recall curve and average precision, as scikit-learn's
 * precision_recall_curve / average_precision_score compute them: one point per distinct score
 * (predicted positive when score ≥ threshold), in descending threshold order after a first point
 * (recall 0, precision 1); AP = Σ (R_k − R_{k−1})·P_k, a step sum, not the trapezoid (which
 * overstates a curve with few points).
 *
 * @param threshold threshold[k] gives point k + 1 (point 0 has no threshold)
 * @param ap        average precision; NaN when the class has no positive sample
 */
public record PrCurve(double[] threshold, double[] recall, double[] precision, double ap) {
    public static PrCurve of(boolean[] positive, float[] score) {
        int n = score.length;
        int[] order = Ranks.descending(score);
        int pos = 0;
        for (boolean p : positive) if (p) pos++;
        double[] thr = new double[n], rec = new double[n + 1], prec = new double[n + 1];
        rec[0] = 0;
        prec[0] = 1;
        int points = 1, tp = 0, fp = 0;
        double ap = 0;
        for (int k = 0; k < n; k++) {
            if (positive[order[k]]) tp++;
            else fp++;
            if (k == n - 1 || score[order[k + 1]] != score[order[k]]) { // last of a tie group
                thr[points - 1] = score[order[k]];
                rec[points] = pos == 0 ? Double.NaN : (double) tp / pos;
                prec[points] = (double) tp / (tp + fp);
                if (pos > 0) ap += (rec[points] - rec[points - 1]) * prec[points];
                points++;
            }
        }
        return new PrCurve(Arrays.copyOf(thr, points - 1), Arrays.copyOf(rec, points), Arrays.copyOf(prec, points),
                pos == 0 ? Double.NaN : ap);
    }
}
