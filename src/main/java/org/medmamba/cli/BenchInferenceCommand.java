package org.medmamba.cli;

import org.medmamba.bench.InferenceBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code medmamba bench inference}: flags onto {@link InferenceBenchmark}. */
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

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Option(names = "--warmup", description = "Untimed runs per batch size (default ${DEFAULT-VALUE}).")
    int warmup = 10;

    @Option(names = "--repeats", description = "Timed runs per batch size; the median is reported (default ${DEFAULT-VALUE}).")
    int repeats = 9;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--model", split = ",", paramLabel = "MODEL.mmb",
            description = "Bundles to measure instead of a variant (e.g. float and quantised widths), side by side in alternating rounds.")
    List<Path> models;

    @Override
    public void run() {
        if (models != null) {
            runModels();
            return;
        }
        int[] hw = ImageSizes.parse(imageSize);
        var s = new InferenceBenchmark.Settings(variant, hw[0], hw[1], batches, numClasses, inChans, threads.threads, warmup, repeats);
        List<InferenceBenchmark.Result> results = InferenceBenchmark.run(s, line -> { if (!json) Log.progress("  " + line); });
        if (json) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "{\"variant\": \"%s\", \"image_size\": [%d, %d], \"threads\": %d, \"results\": [", variant, hw[0], hw[1], threads.threads));
            for (int i = 0; i < results.size(); i++) {
                var r = results.get(i);
                sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT,
                        "{\"batch\": %d, \"ms_per_batch\": %.2f, \"images_per_s\": %.3f, \"peak_heap_mb\": %.0f}", r.batch(), r.msPerBatch(), r.imagesPerS(),
                        r.peakHeapBytes() / 1048576.0));
            }
            System.out.println(sb.append("]}"));
        } else {
            System.out.printf(Locale.ROOT, "MedMamba-%s inference at %dx%d, %d threads (median of %d after %d warm-up)%n",
                    variant, hw[0], hw[1], threads.threads, repeats, warmup);
            for (var r : results)
                System.out.printf(Locale.ROOT, "  batch %3d   %9.1f ms/batch   %8.2f images/s   peak heap %.0f MB%n", r.batch(), r.msPerBatch(), r.imagesPerS(),
                        r.peakHeapBytes() / 1048576.0);
        }
    }

    private void runModels() {
        List<InferenceBenchmark.ModelResult> results;
        try {
            results = InferenceBenchmark.compare(models, batches, threads.threads, warmup, repeats, line -> { if (!json) Log.progress("  " + line); });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (json) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "{\"threads\": %d, \"results\": [", threads.threads));
            for (int i = 0; i < results.size(); i++) {
                var r = results.get(i);
                sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "{\"model\": \"%s\", \"batch\": %d, \"ms_per_batch\": %.2f, \"images_per_s\": %.3f}",
                        r.model().toString().replace("\\", "\\\\").replace("\"", "\\\""), r.batch(), r.msPerBatch(), r.imagesPerS()));
            }
            System.out.println(sb.append("]}"));
            return;
        }
        System.out.printf(Locale.ROOT, "inference, %d threads (median of %d alternating rounds after %d warm-up)%n", threads.threads, repeats, warmup);
        for (var r : results)
            System.out.printf(Locale.ROOT, "  %-40s batch %3d   %9.1f ms/batch   %8.2f images/s%n", r.model(), r.batch(), r.msPerBatch(), r.imagesPerS());
    }
}
