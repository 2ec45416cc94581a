package org.medmamba.cli;

import org.medmamba.explain.ExplainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code medmamba bench explain}: flags onto {@link ExplainBenchmark}. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Time explanation methods against one forward pass (alternating rounds, medians) on a random-weight variant.")
public final class BenchExplainCommand implements Runnable {
    @Option(names = "--variant", description = "tiny, small or base (default ${DEFAULT-VALUE}).")
    String variant = "tiny";

    @Option(names = "--image-size", description = "S or HxW, multiples of 32 (default ${DEFAULT-VALUE}).")
    String imageSize = "224";

    @Option(names = "--method", split = ",", paramLabel = "M", description = "Methods, comma-separated (default ${DEFAULT-VALUE}).")
    List<String> methods = new ArrayList<>(List.of("gradcam"));

    @Option(names = "--layer", paramLabel = "STAGE", description = "Stage 0..3 for gradcam and gradcam++ (default ${DEFAULT-VALUE}: the last).")
    int layer = 3;

    @Option(names = "--num-classes", description = "Classifier outputs (default ${DEFAULT-VALUE}).")
    int numClasses = 6;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Option(names = "--warmup", description = "Untimed rounds (default ${DEFAULT-VALUE}).")
    int warmup = 2;

    @Option(names = "--rounds", description = "Timed rounds; medians are reported (default ${DEFAULT-VALUE}).")
    int rounds = 7;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run() {
        int[] hw = ImageSizes.parse(imageSize);
        var s = new ExplainBenchmark.Settings(variant, hw[0], hw[1], methods, layer, numClasses, threads.threads, warmup, rounds);
        ExplainBenchmark.Result r = ExplainBenchmark.run(s, line -> { if (!json) Log.progress("  " + line); });
        if (json) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "{\"variant\": \"%s\", \"image_size\": [%d, %d], \"layer\": %d, \"threads\": %d, \"rounds\": %d, \"forward_ms\": %.2f, \"methods\": [",
                    variant, hw[0], hw[1], layer, threads.threads, rounds, r.forwardMs()));
            for (int i = 0; i < r.methods().size(); i++)
                sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "{\"method\": \"%s\", \"ms\": %.2f, \"ratio_to_forward\": %.3f}",
                        r.methods().get(i), r.methodMs()[i], r.ratio(i)));
            System.out.println(sb.append("]}"));
            return;
        }
        System.out.printf(Locale.ROOT, "MedMamba-%s at %dx%d, %d threads, batch 1, Grad-CAM on stage %d (medians of %d alternating rounds after %d warm-up)%n",
                variant, hw[0], hw[1], threads.threads, layer, rounds, warmup);
        System.out.printf(Locale.ROOT, "  %-11s %9.1f ms%n", "forward", r.forwardMs());
        for (int i = 0; i < r.methods().size(); i++)
            System.out.printf(Locale.ROOT, "  %-11s %9.1f ms   %5.2fx forward%n", r.methods().get(i), r.methodMs()[i], r.ratio(i));
    }
}
