package org.medmamba.cli;

import org.medmamba.bench.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;

/** {@code medmamba bench train}: flags onto {@link TrainBenchmark}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Benchmark training steps (forward + backward + AdamW) of a MedMamba variant on random images.")
public final class BenchTrainCommand implements Runnable {
    @Option(names = "--variant", description = "tiny, small or base (default ${DEFAULT-VALUE}).")
    String variant = "tiny";
    @Option(names = "--image-size", description = "S or HxW, multiples of 32 (default ${DEFAULT-VALUE}).")
    String imageSize = "224";
    @Option(names = "--batch", description = "Images per step (default ${DEFAULT-VALUE}).")
    int batch = 16;
    @Option(names = "--num-classes", description = "Default ${DEFAULT-VALUE} (as the PyTorch reference).")
    int numClasses = 6;
    @Mixin
    ThreadsOption threads = new ThreadsOption();
    @Option(names = "--warmup", description = "Untimed steps (default ${DEFAULT-VALUE}).")
    int warmup = 3;
    @Option(names = "--repeats", description = "Timed steps; the median is reported (default ${DEFAULT-VALUE}).")
    int repeats = 5;
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run() {
        int[] hw = ImageSizes.parse(imageSize);
        var r = TrainBenchmark.run(new TrainBenchmark.Settings(variant, hw[0], hw[1], batch, numClasses, threads.threads, warmup, repeats),
                line -> { if (!json) Log.progress("  " + line); });
        double peakMb = r.peakHeapBytes() / 1048576.0, liveMb = r.liveAfterForwardBytes() / 1048576.0;
        if (json) {
            System.out.printf(Locale.ROOT, "{\"impl\": \"java\", \"mode\": \"train\", \"variant\": \"%s\", \"image_size\": [%d, %d], \"threads\": %d, "
                            + "\"results\": [{\"batch\": %d, \"s_per_step\": %.3f, \"images_per_s\": %.3f, \"peak_heap_mb\": %.0f, \"live_heap_mb\": %.0f}]}%n",
                    variant, hw[0], hw[1], threads.threads, batch, r.sPerStep(), r.imagesPerS(), peakMb, liveMb);
        } else {
            System.out.printf(Locale.ROOT, "MedMamba-%s training at %dx%d, batch %d, %d threads (median of %d steps after %d warm-up)%n",
                    variant, hw[0], hw[1], batch, threads.threads, repeats, warmup);
            System.out.printf(Locale.ROOT, "  %.2f s/step   %.2f images/s   peak heap %.0f MB   live heap after forward %.0f MB%n",
                    r.sPerStep(), r.imagesPerS(), peakMb, liveMb);
        }
    }
}
