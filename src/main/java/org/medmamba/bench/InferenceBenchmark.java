package org.medmamba.bench;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Var;
import org.medmamba.kernels.Parallel;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
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

    /** One batch size: the median over the timed runs, and the peak heap during them. */
    public record Result(int batch, double msPerBatch, double imagesPerS, long peakHeapBytes) {}

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
                HeapPeak.reset();
                for (int i = 0; i < s.repeats(); i++) {
                    long t0 = System.nanoTime();
                    model.forward(Var.constant(x));
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    progress.accept(String.format(java.util.Locale.ROOT, "batch %d run %d/%d: %.1f ms", b, i + 1, s.repeats(), ms[i]));
                }
            }
            double med = Checks.median(ms);
            results.add(new Result(b, med, b * 1000.0 / med, HeapPeak.bytes()));
        }
        return results;
    }

    /** One bundle at one batch size: the median over its timed runs. */
    public record ModelResult(Path model, int batch, double msPerBatch, double imagesPerS) {}

    /**
     * Bundles side by side (float and quantised widths of one model, say): every timed round runs
     * each bundle once, in turn, so drift of a shared machine falls on all of them alike. Each
     * bundle runs at its own input size on random images.
     */
    public static List<ModelResult> compare(List<Path> bundles, int[] batches, int threads, int warmup, int repeats,
                                            Consumer<String> progress) throws IOException {
        if (bundles.isEmpty()) throw new IllegalArgumentException("give at least one model");
        Checks.positive("threads", threads);
        Checks.positive("repeats", repeats);
        Checks.notNegative("warmup", warmup);
        Parallel.setThreads(threads);
        List<MedMamba> models = new ArrayList<>();
        List<ModelBundle> loaded = new ArrayList<>();
        for (Path p : bundles) {
            org.medmamba.io.BadFileException.requireRegularFile(p);
            ModelBundle b = ModelBundle.load(p);
            loaded.add(b);
            models.add(b.toModel());
        }
        List<ModelResult> out = new ArrayList<>();
        for (int batch : batches) {
            if (batch < 1) throw new IllegalArgumentException("batches: " + batch + " is not >= 1");
            Tensor[] xs = new Tensor[models.size()];
            for (int m = 0; m < xs.length; m++)
                xs[m] = Tensor.randn(new Random(batch), 1f, batch, loaded.get(m).config().inChans(), loaded.get(m).imageHeight(), loaded.get(m).imageWidth());
            double[][] ms = new double[models.size()][repeats];
            try (var g = GradMode.noGrad()) {
                for (int i = 0; i < warmup; i++) for (int m = 0; m < xs.length; m++) models.get(m).forward(Var.constant(xs[m]));
                for (int i = 0; i < repeats; i++)
                    for (int m = 0; m < xs.length; m++) {
                        long t0 = System.nanoTime();
                        models.get(m).forward(Var.constant(xs[m]));
                        ms[m][i] = (System.nanoTime() - t0) / 1e6;
                        progress.accept(String.format(java.util.Locale.ROOT, "batch %d round %d/%d %s: %.1f ms", batch, i + 1, repeats,
                                bundles.get(m).getFileName(), ms[m][i]));
                    }
            }
            for (int m = 0; m < xs.length; m++) {
                double med = Checks.median(ms[m]);
                out.add(new ModelResult(bundles.get(m), batch, med, batch * 1000.0 / med));
            }
        }
        return out;
    }
}
