package org.medmamba.eval.report;

import org.medmamba.eval.Bootstrap;
import org.medmamba.eval.Calibration;
import org.medmamba.eval.Metrics;
import org.medmamba.eval.Predictor;
import org.medmamba.eval.RocCurve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything a report shows, computed once from the predictions: metrics, per-class ROC curves,
 * calibration ({@value #BINS} bins), and percentile-bootstrap {@value #LEVEL} intervals
 * ({@value #RESAMPLES} seeded resamples) for accuracy and macro AUC.
 *
 * @param files one name per sample, for the table of mistakes
 */
public record Evaluation(List<String> labels, int[] truth, float[][] probs, List<String> files, Metrics metrics,
                         List<RocCurve> roc, Calibration calibration, Bootstrap.Interval accuracyCi,
                         Bootstrap.Interval macroAucCi, long seed) {
    public static final int RESAMPLES = 1000, BINS = 10;
    public static final double LEVEL = 0.95;

    /** A misclassified sample: predicted with probability {@code confidence}, the truth with {@code truthProbability}. */
    public record Mistake(int sample, String file, int truth, int predicted, double confidence, double truthProbability) {}

    public static Evaluation compute(List<String> labels, int[] truth, float[][] probs, List<String> files) {
        return compute(labels, truth, probs, files, 0);
    }

    /** files may be null (samples are then named by index); seed drives the bootstrap. */
    public static Evaluation compute(List<String> labels, int[] truth, float[][] probs, List<String> files, long seed) {
        int n = truth.length, k = labels.size();
        if (files == null) {
            List<String> idx = new ArrayList<>(n);
            for (int i = 0; i < n; i++) idx.add("#" + i);
            files = idx;
        }
        if (files.size() != n) throw new IllegalArgumentException(n + " samples but " + files.size() + " file names");
        for (int i = 0; i < n; i++) {
            if (probs[i].length != k) throw new IllegalArgumentException("sample " + i + " has " + probs[i].length + " probabilities for " + k + " labels");
            if (truth[i] < 0 || truth[i] >= k) throw new IllegalArgumentException("sample " + i + " has class " + truth[i] + " outside 0.." + (k - 1));
        }
        Metrics m = Metrics.of(labels, truth, probs);
        List<RocCurve> roc = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            boolean[] pos = new boolean[n];
            float[] score = new float[n];
            for (int i = 0; i < n; i++) {
                pos[i] = truth[i] == c;
                score[i] = probs[i][c];
            }
            roc.add(RocCurve.of(pos, score));
        }
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) correct[i] = Predictor.argmax(probs[i]) == truth[i];
        Bootstrap.Interval accCi = Bootstrap.of(truth, probs, RESAMPLES, seed, LEVEL, idx -> {
            int hits = 0;
            for (int i : idx) if (correct[i]) hits++;
            return (double) hits / idx.length;
        });
        ResampledAuc auc = new ResampledAuc(truth, probs, k);
        Bootstrap.Interval aucCi = Bootstrap.of(truth, probs, RESAMPLES, seed, LEVEL, auc::macroAuc);
        return new Evaluation(List.copyOf(labels), truth.clone(), probs.clone(), List.copyOf(files), m, List.copyOf(roc),
                Calibration.of(truth, probs, BINS), accCi, aucCi, seed);
    }

    public int predicted(int sample) {
        return Predictor.argmax(probs[sample]);
    }

    /** The misclassified samples, most confident first (ties by sample order), at most limit. */
    public List<Mistake> confidentMistakes(int limit) {
        List<Mistake> out = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            int p = predicted(i);
            if (p != truth[i]) out.add(new Mistake(i, files.get(i), truth[i], p, probs[i][p], probs[i][truth[i]]));
        }
        out.sort(Comparator.comparingDouble(Mistake::confidence).reversed().thenComparingInt(Mistake::sample));
        return List.copyOf(out.subList(0, Math.min(limit, out.size())));
    }
}
