package org.medmamba.eval;

import java.util.Arrays;

/**
 * One-vs-rest ROC curve and its area, as scikit-learn's roc_curve / roc_auc_score compute them:
 * thresholds at the distinct scores (tied scores form one step, so ties count half), the curve
 * starting at (0, 0), area by the trapezoidal rule.
 *
 * @param fpr,tpr the curve's points, from (0, 0) to (1, 1)
 * @param auc     area under the curve; NaN when the class has no positives or no negatives
 */
public record RocCurve(double[] fpr, double[] tpr, double auc) {
    /** positive[i] says whether sample i belongs to the class; score[i] is its predicted probability. */
    public static RocCurve of(boolean[] positive, float[] score) {
        int n = score.length;
        int[] order = Ranks.descending(score);
        int pos = 0;
        for (boolean p : positive) if (p) pos++;
        int neg = n - pos;
        double[] fpr = new double[n + 1], tpr = new double[n + 1];
        int points = 1, tp = 0, fp = 0;
        for (int k = 0; k < n; k++) {
            if (positive[order[k]]) tp++;
            else fp++;
            boolean lastOfTie = k == n - 1 || score[order[k + 1]] != score[order[k]];
            if (lastOfTie) {
                fpr[points] = neg == 0 ? Double.NaN : (double) fp / neg;
                tpr[points] = pos == 0 ? Double.NaN : (double) tp / pos;
                points++;
            }
        }
        fpr = Arrays.copyOf(fpr, points);
        tpr = Arrays.copyOf(tpr, points);
        double auc = Double.NaN;
        if (pos > 0 && neg > 0) {
            auc = 0;
            for (int i = 1; i < points; i++) auc += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        }
        return new RocCurve(fpr, tpr, auc);
    }
}
