package org.medmamba.eval.report;

import org.medmamba.eval.Bootstrap;
import org.medmamba.eval.Calibration;
import org.medmamba.eval.ClassMetrics;
import org.medmamba.eval.Metrics;
import org.medmamba.eval.OperatingPoint;
import org.medmamba.eval.PrCurve;
import org.medmamba.eval.Predictor;
import org.medmamba.eval.RocCurve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything a report shows, computed once from the predictions: metrics, per-class ROC and
 * precision–recall curves, per-class operating points, calibration ({@value #BINS} bins), and
 * percentile-bootstrap {@value #LEVEL} intervals ({@value #RESAMPLES} seeded resamples, the same
 * for every metric) for accuracy, macro AUC and each class's sensitivity and specificity.
 *
 * @param files           one file name per sample (for the mistakes table and predictions.csv)
 * @param frames          the frame (or row) index inside a file that holds several samples, else -1
 * @param operatingPoints per class: argmax, p ≥ 0.5, and the thresholds reaching sensitivity ≥
 *                        {@value #TARGET} and specificity ≥ {@value #TARGET} (left out when undefined)
 */
public record Evaluation(List<String> labels, int[] truth, float[][] probs, List<String> files, int[] frames,
                         Metrics metrics, List<RocCurve> roc, List<PrCurve> pr,
                         List<List<OperatingPoint>> operatingPoints, Calibration calibration,
                         Bootstrap.Interval accuracyCi, Bootstrap.Interval macroAucCi,
                         List<Bootstrap.Interval> sensitivityCi, List<Bootstrap.Interval> specificityCi, long seed) {
    public static final int RESAMPLES = 1000, BINS = 10;
    public static final double LEVEL = 0.95, TARGET = 0.95;

    /** A misclassified sample: predicted with probability {@code confidence}, the truth with {@code truthProbability}. */
    public record Mistake(int sample, String file, int truth, int predicted, double confidence, double truthProbability) {}

    public static Evaluation compute(List<String> labels, int[] truth, float[][] probs, List<String> files) {
        return compute(labels, truth, probs, files, 0);
    }

    /** files may be null (samples are then named by index); seed drives the bootstrap. */
    public static Evaluation compute(List<String> labels, int[] truth, float[][] probs, List<String> files, long seed) {
        return compute(labels, truth, probs, files, null, seed);
    }

    /** frames may be null (no file holds several samples). */
    public static Evaluation compute(List<String> labels, int[] truth, float[][] probs, List<String> files, int[] frames,
                                     long seed) {
        int n = truth.length, k = labels.size();
        if (frames == null) {
            frames = new int[n];
            java.util.Arrays.fill(frames, -1);
        }
        if (frames.length != n) throw new IllegalArgumentException(n + " samples but " + frames.length + " frame indices");
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
        List<PrCurve> pr = new ArrayList<>(k);
        List<List<OperatingPoint>> points = new ArrayList<>(k);
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) pred[i] = Predictor.argmax(probs[i]);
        for (int c = 0; c < k; c++) {
            boolean[] pos = new boolean[n], called = new boolean[n];
            float[] score = new float[n];
            for (int i = 0; i < n; i++) {
                pos[i] = truth[i] == c;
                score[i] = probs[i][c];
                called[i] = pred[i] == c;
            }
            roc.add(RocCurve.of(pos, score));
            pr.add(PrCurve.of(pos, score));
            List<OperatingPoint> op = new ArrayList<>(4);
            op.add(OperatingPoint.counts(OperatingPoint.ARGMAX, Double.NaN, pos, called));
            op.add(OperatingPoint.at("p ≥ 0.5", pos, score, 0.5));
            OperatingPoint sens = OperatingPoint.forSensitivity("sensitivity ≥ " + TARGET, pos, score, TARGET);
            if (sens != null) op.add(sens);
            OperatingPoint spec = OperatingPoint.forSpecificity("specificity ≥ " + TARGET, pos, score, TARGET);
            if (spec != null) op.add(spec);
            points.add(List.copyOf(op));
        }
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) correct[i] = pred[i] == truth[i];
        Bootstrap.Interval accCi = Bootstrap.of(truth, probs, RESAMPLES, seed, LEVEL, idx -> {
            int hits = 0;
            for (int i : idx) if (correct[i]) hits++;
            return (double) hits / idx.length;
        });
        ResampledAuc auc = new ResampledAuc(truth, probs, k);
        Bootstrap.Interval aucCi = Bootstrap.of(truth, probs, RESAMPLES, seed, LEVEL, auc::macroAuc);
        List<Bootstrap.Interval> sensCi = new ArrayList<>(k), specCi = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            int cc = c;
            // a resample without a positive (negative) of the class has no sensitivity (specificity): skipped
            sensCi.add(Bootstrap.of(truth, probs, RESAMPLES, seed, LEVEL, idx -> {
                int hit = 0, all = 0;
                for (int i : idx) if (truth[i] == cc) { all++; if (pred[i] == cc) hit++; }
                return all == 0 ? Double.NaN : (double) hit / all;
            }));
            specCi.add(Bootstrap.of(truth, probs, RESAMPLES, seed, LEVEL, idx -> {
                int hit = 0, all = 0;
                for (int i : idx) if (truth[i] != cc) { all++; if (pred[i] != cc) hit++; }
                return all == 0 ? Double.NaN : (double) hit / all;
            }));
        }
        return new Evaluation(List.copyOf(labels), truth.clone(), probs.clone(), List.copyOf(files), frames.clone(), m,
                List.copyOf(roc), List.copyOf(pr), List.copyOf(points), Calibration.of(truth, probs, BINS), accCi, aucCi,
                List.copyOf(sensCi), List.copyOf(specCi), seed);
    }

    /** Sample i's name for people: its file, with "#frame" when the file holds several samples. */
    public String name(int sample) {
        return frames[sample] >= 0 ? files.get(sample) + "#" + frames[sample] : files.get(sample);
    }

    /** Labels of the classes with samples that the model never predicts (argmax) — a class it cannot find. */
    public List<String> neverPredicted() {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++)
            if (metrics.confusion().predicted(c) == 0 && metrics.confusion().actual(c) > 0) out.add(labels.get(c));
        return out;
    }

    /** Labels of the model's classes with no sample in the evaluated data (nothing is known of them). */
    public List<String> absent() {
        List<String> out = new ArrayList<>();
        for (ClassMetrics c : metrics.perClass()) if (c.support() == 0) out.add(c.label());
        return out;
    }

    /** Whether any file holds several samples (predictions.csv then has a frame column). */
    public boolean hasFrames() {
        for (int f : frames) if (f >= 0) return true;
        return false;
    }

    public int predicted(int sample) {
        return Predictor.argmax(probs[sample]);
    }

    /** The misclassified samples, most confident first (ties by sample order), at most limit. */
    public List<Mistake> confidentMistakes(int limit) {
        List<Mistake> out = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            int p = predicted(i);
            if (p != truth[i]) out.add(new Mistake(i, name(i), truth[i], p, probs[i][p], probs[i][truth[i]]));
        }
        out.sort(Comparator.comparingDouble(Mistake::confidence).reversed().thenComparingInt(Mistake::sample));
        return List.copyOf(out.subList(0, Math.min(limit, out.size())));
    }
}
