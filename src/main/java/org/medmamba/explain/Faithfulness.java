package org.medmamba.explain;

import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Deletion and insertion AUC (Petsiuk, Das & Saenko, RISE, 2018): how fast the explained class's
 * probability falls when the map's most important pixels are removed first (deletion: lower is
 * more faithful), and how fast it rises when they are put back into an empty image first
 * (insertion: higher is more faithful). "Removed" is the normalisation mean (the image the
 * network sees as zeros), as occlusion uses. The curves have {@code steps + 1} points, from 0 to
 * all pixels; the AUC is the trapezoid mean over the fraction, in [0, 1].
 */
public final class Faithfulness {
    private Faithfulness() {}

    /** Both AUCs of one map for one prepared image. */
    public record Scores(double deletion, double insertion) {}

    public static Scores of(Predictor p, Image prepared, Explanation e, int steps) {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1");
        int c = prepared.channels(), h = prepared.height(), w = prepared.width(), n = h * w;
        if (e.map().length != n) throw new IllegalArgumentException("map of " + e.map().length + " values for a " + h + "x" + w + " image");
        int[] order = org.medmamba.eval.Ranks.descending(e.map());   // most important first
        float[] mean = p.bundle().mean(), x = prepared.data();
        List<Image> del = new ArrayList<>(steps + 1), ins = new ArrayList<>(steps + 1);
        for (int s = 0; s <= steps; s++) {
            int k = (int) Math.round((double) s * n / steps);
            float[] d = x.clone(), in = new float[x.length];
            for (int ch = 0; ch < c; ch++) Arrays.fill(in, ch * n, (ch + 1) * n, mean[ch]);
            for (int j = 0; j < k; j++) {
                int px = order[j];
                for (int ch = 0; ch < c; ch++) {
                    d[ch * n + px] = mean[ch];
                    in[ch * n + px] = x[ch * n + px];
                }
            }
            del.add(new Image(c, h, w, d));
            ins.add(new Image(c, h, w, in));
        }
        return new Scores(auc(curve(p, del, e.classIndex())), auc(curve(p, ins, e.classIndex())));
    }

    /** The explained class's probability for each image, in batches of {@link Explanations#OCCLUSION_BATCH}. */
    private static double[] curve(Predictor p, List<Image> images, int k) {
        double[] out = new double[images.size()];
        for (int b = 0; b < images.size(); b += Explanations.OCCLUSION_BATCH) {
            List<Image> part = images.subList(b, Math.min(images.size(), b + Explanations.OCCLUSION_BATCH));
            float[][] probs = p.predict(part);
            for (int j = 0; j < part.size(); j++) out[b + j] = probs[j][k];
        }
        return out;
    }

    /** Trapezoid rule over equally spaced fractions 0..1. */
    static double auc(double[] y) {
        double s = 0;
        for (int i = 1; i < y.length; i++) s += (y[i - 1] + y[i]) / 2;
        return s / (y.length - 1);
    }

    /** A map of uniform random values (seeded): the baseline every method should beat. */
    public static Explanation randomMap(Explanation like, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] m = new float[like.map().length];
        for (int i = 0; i < m.length; i++) m[i] = (float) r.nextDouble();
        return new Explanation("random", like.classIndex(), like.label(), like.probability(), like.height(), like.width(), m);
    }
}
