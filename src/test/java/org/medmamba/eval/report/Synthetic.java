package org.medmamba.eval.report;

import org.medmamba.train.EpochRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded fake predictions and training history for the report's tests and example. */
final class Synthetic {
    final List<String> labels;
    final int[] truth;
    final float[][] probs;
    final List<String> files;

    /** An imperfect, somewhat overconfident classifier; class c gets a share of samples falling with c. */
    Synthetic(List<String> labels, int n, double signal, long seed) {
        Random r = new Random(seed);
        int k = labels.size();
        this.labels = labels;
        truth = new int[n];
        probs = new float[n][k];
        files = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int t = pick(r, k);
            truth[i] = t;
            double[] z = new double[k];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < k; c++) {
                z[c] = 1.6 * (r.nextGaussian() + (c == t ? signal : 0)); // 1.6: sharper than the evidence warrants
                max = Math.max(max, z[c]);
            }
            for (int c = 0; c < k; c++) sum += z[c] = Math.exp(z[c] - max);
            for (int c = 0; c < k; c++) probs[i][c] = (float) (z[c] / sum);
            files.add(String.format("%s/%s_%04d.png", labels.get(t), labels.get(t).toLowerCase().replace(' ', '_'), i));
        }
    }

    private static int pick(Random r, int k) {
        double u = r.nextDouble() * k * (k + 1) / 2.0; // class c with weight k − c
        for (int c = 0; c < k; c++) {
            u -= k - c;
            if (u < 0) return c;
        }
        return k - 1;
    }

    /** A plausible run: losses falling with noise, validation plateauing, cosine learning rate. */
    static List<EpochRecord> history(int epochs, long seed) {
        Random r = new Random(seed);
        List<EpochRecord> h = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double p = (double) e / epochs;
            double train = 1.05 * Math.exp(-2.2 * p) + 0.08 + 0.02 * r.nextGaussian();
            double val = 1.0 * Math.exp(-1.6 * p) + 0.22 + 0.04 * r.nextGaussian() + 0.08 * p * p;
            double acc = 0.55 + 0.3 * (1 - Math.exp(-3 * p)) + 0.015 * r.nextGaussian();
            double auc = 0.70 + 0.24 * (1 - Math.exp(-3 * p)) + 0.01 * r.nextGaussian();
            double lr = 1e-4 * 0.5 * (1 + Math.cos(Math.PI * (e - 1) / epochs));
            h.add(new EpochRecord(e, train, val, acc, auc, lr, 610 + 40 * r.nextDouble()));
        }
        return h;
    }
}
