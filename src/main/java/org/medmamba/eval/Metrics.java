package org.medmamba.eval;

import org.medmamba.train.Validator;

import java.util.ArrayList;
import java.util.List;

/**
 * The numbers medical classification papers report, computed as scikit-learn does (checked
 * against it in MetricsTest): accuracy, balanced accuracy (mean recall over the classes present in
 * the truth), macro sensitivity/specificity/precision/F1 over all classes, Cohen's kappa, and
 * macro one-vs-rest AUC (mean over the classes whose AUC is defined).
 */
public record Metrics(int samples, double accuracy, double balancedAccuracy, double macroSensitivity,
                      double macroSpecificity, double macroPrecision, double macroF1, double kappa, double macroAuc,
                      ConfusionMatrix confusion, List<ClassMetrics> perClass) {

    /** What the trainer selects epochs by; pass as {@code Metrics::validationScore}. */
    public static Validator.Score validationScore(List<String> labels, int[] truth, float[][] probs) {
        Metrics m = of(labels, truth, probs);
        return new Validator.Score(m.accuracy(), m.macroAuc());
    }

    /** probs[i] is sample i's probability vector; the prediction is its argmax (first on ties). */
    public static Metrics of(List<String> labels, int[] truth, float[][] probs) {
        int k = labels.size(), n = truth.length;
        if (probs.length != n) throw new IllegalArgumentException(n + " labels but " + probs.length + " predictions");
        if (n == 0) throw new IllegalArgumentException("no samples to evaluate");
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) pred[i] = Predictor.argmax(probs[i]);
        ConfusionMatrix cm = ConfusionMatrix.of(k, truth, pred);
        List<ClassMetrics> per = new ArrayList<>();
        double sens = 0, spec = 0, prec = 0, f1 = 0, aucSum = 0, recallPresent = 0;
        int aucCount = 0, present = 0;
        for (int c = 0; c < k; c++) {
            long tp = cm.truePositives(c), actual = cm.actual(c), predicted = cm.predicted(c);
            long fp = predicted - tp, fn = actual - tp, tn = n - tp - fp - fn;
            double recall = ratio(tp, actual), specificity = ratio(tn, tn + fp), precision = ratio(tp, predicted);
            double f = ratio(2 * tp, 2 * tp + fp + fn);
            boolean[] pos = new boolean[n];
            float[] score = new float[n];
            for (int i = 0; i < n; i++) {
                pos[i] = truth[i] == c;
                score[i] = probs[i][c];
            }
            double auc = RocCurve.of(pos, score).auc();
            per.add(new ClassMetrics(labels.get(c), actual, recall, specificity, precision, f, auc));
            sens += recall;
            spec += specificity;
            prec += precision;
            f1 += f;
            if (actual > 0) {
                recallPresent += recall;
                present++;
            }
            if (!Double.isNaN(auc)) {
                aucSum += auc;
                aucCount++;
            }
        }
        long correct = 0;
        for (int c = 0; c < k; c++) correct += cm.truePositives(c);
        double po = (double) correct / n, pe = 0;
        for (int c = 0; c < k; c++) pe += (double) cm.actual(c) * cm.predicted(c) / ((double) n * n);
        double kappa = pe == 1 ? Double.NaN : (po - pe) / (1 - pe);
        return new Metrics(n, po, recallPresent / present, sens / k, spec / k, prec / k, f1 / k, kappa,
                aucCount == 0 ? Double.NaN : aucSum / aucCount, cm, List.copyOf(per));
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
