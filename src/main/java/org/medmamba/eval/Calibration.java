package org.medmamba.eval;

/**
 * Reliability diagram data: samples binned by confidence (the top probability) into equal-width
 * bins; per bin the mean confidence and the accuracy; ECE = Σ (n_b / n)·|accuracy_b − confidence_b|.
 */
public record Calibration(int[] count, double[] confidence, double[] accuracy, double ece) {
    public static Calibration of(int[] truth, float[][] probs, int bins) {
        int[] count = new int[bins];
        double[] conf = new double[bins], acc = new double[bins];
        for (int i = 0; i < truth.length; i++) {
            int p = Predictor.argmax(probs[i]);
            double c = probs[i][p];
            int b = Math.min(bins - 1, (int) (c * bins));
            count[b]++;
            conf[b] += c;
            if (p == truth[i]) acc[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] == 0) continue;
            conf[b] /= count[b];
            acc[b] /= count[b];
            ece += (double) count[b] / truth.length * Math.abs(acc[b] - conf[b]);
        }
        return new Calibration(count, conf, acc, ece);
    }
}
