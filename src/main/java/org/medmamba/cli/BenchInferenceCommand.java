package org.medmamba.cli;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Var;
import org.medmamba.kernels.Parallel;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** {@code medmamba bench inference}: eval-mode forward latency and throughput of a MedMamba variant. */
@Command(name = "inference", mixinStandardHelpOptions = true,
        description = "Benchmark eval-mode inference (no-grad) of a MedMamba variant on random images.")
public final class BenchInferenceCommand implements Runnable {
    @Option(names = "--variant", description = "tiny, small or base (default ${DEFAULT-VALUE}).")
    String variant = "tiny";

    @Option(names = "--image-size", description = "S or HxW, multiples of 32 (default ${DEFAULT-VALUE}).")
    String imageSize = "224";

    @Option(names = "--batch", split = ",", description = "Batch sizes, comma-separated (default 1,16).")
    int[] batches = {1, 16};

    @Option(names = "--num-classes", description = "Classifier outputs (default ${DEFAULT-VALUE}).")
    int numClasses = 6;

    @Option(names = "--in-chans", description = "Input channels (default ${DEFAULT-VALUE}).")
    int inChans = 3;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--warmup", description = "Untimed runs per batch size (default ${DEFAULT-VALUE}).")
    int warmup = 10;

    @Option(names = "--repeats", description = "Timed runs per batch size; the median is reported (default ${DEFAULT-VALUE}).")
    int repeats = 9;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    record Result(int batch, double msPerBatch, double imagesPerS) {}

    @Override
    public void run() {
        Parallel.setThreads(threads);
        int[] hw = ImageSizes.parse(imageSize);
        MedMamba model = new MedMamba(MedMambaConfig.variant(variant, numClasses, inChans), 0);
        model.train(false);
        List<Result> results = new ArrayList<>();
        for (int b : batches) {
            Tensor x = Tensor.randn(new Random(b), 1f, b, inChans, hw[0], hw[1]);
            double[] ms = new double[repeats];
            try (var g = GradMode.noGrad()) {
                for (int i = 0; i < warmup; i++) model.forward(Var.constant(x));
                for (int i = 0; i < repeats; i++) {
                    long t0 = System.nanoTime();
                    model.forward(Var.constant(x));
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    if (!json) System.err.printf(Locale.ROOT, "  batch %d run %d/%d: %.1f ms%n", b, i + 1, repeats, ms[i]);
                }
            }
            Arrays.sort(ms);
            double med = ms[repeats / 2];
            results.add(new Result(b, med, b * 1000.0 / med));
        }
        if (json) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "{\"variant\": \"%s\", \"image_size\": [%d, %d], \"threads\": %d, \"results\": [", variant, hw[0], hw[1], threads));
            for (int i = 0; i < results.size(); i++) {
                Result r = results.get(i);
                sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT,
                        "{\"batch\": %d, \"ms_per_batch\": %.2f, \"images_per_s\": %.3f}", r.batch, r.msPerBatch, r.imagesPerS));
            }
            System.out.println(sb.append("]}"));
        } else {
            System.out.printf(Locale.ROOT, "MedMamba-%s inference at %dx%d, %d threads (median of %d after %d warm-up)%n",
                    variant, hw[0], hw[1], threads, repeats, warmup);
            for (Result r : results)
                System.out.printf(Locale.ROOT, "  batch %3d   %9.1f ms/batch   %8.2f images/s%n", r.batch, r.msPerBatch, r.imagesPerS);
        }
    }
}
