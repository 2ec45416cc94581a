package org.medmamba.bench;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Var;
import org.medmamba.kernels.Parallel;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/** Eval-mode (no-grad) forward latency and throughput of a MedMamba variant on random images. */
public final class InferenceBenchmark {
    private InferenceBenchmark() {}

    /** What to measure; validates itself. */
    public record Settings(String variant, int height, int width, int[] batches, int numClasses, int inChans,
                           int threads, int warmup, int repeats) {
        public Settings {
            batches = batches.clone();
            if (batches.length == 0) throw new IllegalArgumentException("batches: give at least one batch size");
            for (int b : batches) if (b < 1) throw new IllegalArgumentException("batches: " + b + " is not >= 1");
            Checks.positive("threads", threads);
            Checks.positive("repeats", repeats);
            Checks.notNegative("warmup", warmup);
        }
    }

    /** One batch size: the median over the timed runs. */
    public record Result(int batch, double msPerBatch, double imagesPerS) {}

    /** Runs the measurement; {@code progress} gets one line per timed run. */
    public static List<Result> run(Settings s, Consumer<String> progress) {
        Parallel.setThreads(s.threads());
        MedMamba model = new MedMamba(MedMambaConfig.variant(s.variant(), s.numClasses(), s.inChans()), 0);
        model.train(false);
        List<Result> results = new ArrayList<>();
        for (int b : s.batches()) {
            Tensor x = Tensor.randn(new Random(b), 1f, b, s.inChans(), s.height(), s.width());
            double[] ms = new double[s.repeats()];
            try (var g = GradMode.noGrad()) {
                for (int i = 0; i < s.warmup(); i++) model.forward(Var.constant(x));
                for (int i = 0; i < s.repeats(); i++) {
                    long t0 = System.nanoTime();
                    model.forward(Var.constant(x));
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    progress.accept(String.format(java.util.Locale.ROOT, "batch %d run %d/%d: %.1f ms", b, i + 1, s.repeats(), ms[i]));
                }
            }
            double med = Checks.median(ms);
            results.add(new Result(b, med, b * 1000.0 / med));
        }
        return results;
    }
}
