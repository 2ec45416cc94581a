package org.medmamba.explain;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;
import org.medmamba.kernels.Parallel;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * What an explanation costs next to one prediction ({@code ./medmamba bench explain}): on a
 * random-weight variant and a random image, rounds of one forward pass ({@link Predictor#predict},
 * what {@code predict} runs) followed by each method once, alternating so that both see the same
 * machine load; the medians over the rounds, and each method's ratio to the forward. Lives here,
 * not in {@code bench}, because bench is below explain.
 */
public final class ExplainBenchmark {
    private ExplainBenchmark() {}

    /** What to measure; validates itself. */
    public record Settings(String variant, int height, int width, List<String> methods, int layer, int numClasses, int threads, int warmup, int rounds) {
        public Settings {
            methods = List.copyOf(methods);
            if (methods.isEmpty()) throw new IllegalArgumentException("methods: give at least one");
            for (String m : methods)
                if (!Explanations.METHODS.contains(m)) throw new IllegalArgumentException("methods: unknown '" + m + "'; known: " + Explanations.METHODS);
            if (layer < 0 || layer > 3) throw new IllegalArgumentException("layer must be 0..3, got " + layer);
            if (threads < 1 || rounds < 1 || warmup < 0 || numClasses < 2) throw new IllegalArgumentException("threads, rounds >= 1, warmup >= 0, classes >= 2");
        }
    }

    /** Median milliseconds of one forward and of each method (same order as the settings), and each method's ratio to the forward. */
    public record Result(double forwardMs, List<String> methods, double[] methodMs) {
        public double ratio(int i) {
            return methodMs[i] / forwardMs;
        }
    }

    public static Result run(Settings s, Consumer<String> progress) {
        Parallel.setThreads(s.threads());
        MedMambaConfig c = MedMambaConfig.variant(s.variant(), s.numClasses(), 3);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < s.numClasses(); i++) labels.add("c" + i);
        Predictor p = new Predictor(new ModelBundle(c, labels, s.height(), s.width(), new float[]{0.5f, 0.5f, 0.5f},
                new float[]{0.5f, 0.5f, 0.5f}, Map.of(), new MedMamba(c, 0).stateDict()));
        SplittableRandom r = new SplittableRandom(1);
        float[] px = new float[3 * s.height() * s.width()];
        for (int i = 0; i < px.length; i++) px[i] = (float) r.nextDouble();
        Image img = new Image(3, s.height(), s.width(), px);
        int k = Predictor.argmax(p.predict(List.of(img))[0]);
        double[] fwd = new double[s.rounds()];
        double[][] ms = new double[s.methods().size()][s.rounds()];
        for (int round = -s.warmup(); round < s.rounds(); round++) {
            long t0 = System.nanoTime();
            p.predict(List.of(img));
            double f = (System.nanoTime() - t0) / 1e6;
            StringBuilder line = new StringBuilder(String.format(java.util.Locale.ROOT, "%s %d: forward %.1f ms",
                    round < 0 ? "warm-up" : "round", round < 0 ? round + s.warmup() + 1 : round + 1, f));
            for (int m = 0; m < s.methods().size(); m++) {
                long t1 = System.nanoTime();
                Explanations.explain(p, img, s.methods().get(m), k, s.layer());
                double t = (System.nanoTime() - t1) / 1e6;
                if (round >= 0) ms[m][round] = t;
                line.append(String.format(java.util.Locale.ROOT, ", %s %.1f ms", s.methods().get(m), t));
            }
            if (round >= 0) fwd[round] = f;
            progress.accept(line.toString());
        }
        double[] med = new double[ms.length];
        for (int m = 0; m < ms.length; m++) med[m] = median(ms[m]);
        return new Result(median(fwd), s.methods(), med);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
