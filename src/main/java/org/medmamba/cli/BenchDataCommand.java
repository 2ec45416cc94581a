package org.medmamba.cli;

import org.medmamba.bench.DataBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** {@code medmamba bench data}: flags onto {@link DataBenchmark}. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Benchmark the data loader: PNG decoding + the full training augmentation.")
public final class BenchDataCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--image-size", description = "Model input S or HxW (default ${DEFAULT-VALUE}).")
    String imageSize = "224";

    @Option(names = "--source-size", description = "Side of the generated PNGs (default ${DEFAULT-VALUE}).")
    int sourceSize = 512;

    @Option(names = "--images", description = "Generated PNGs (default ${DEFAULT-VALUE}).")
    int images = 384;

    @Option(names = "--data", description = "Benchmark on the images in this folder instead of generated ones.")
    Path data;

    @Option(names = "--workers", description = "Loader threads (default: all cores).")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--epochs", description = "Timed epochs after one warm-up epoch; the median is reported (default ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        int[] hw = ImageSizes.parse(imageSize);
        var r = DataBenchmark.run(new DataBenchmark.Settings(hw[0], hw[1], sourceSize, images, data, workers, batch, epochs),
                line -> { if (!json) Log.progress("  " + line); });
        if (json) {
            System.out.printf(Locale.ROOT, "{\"image_size\": [%d, %d], \"workers\": %d, \"batch\": %d, \"source\": \"%s\", "
                            + "\"mean_file_bytes\": %d, \"decode_ms_1_thread\": %.3f, \"augment_ms_1_thread\": %.3f, \"images_per_s\": %.1f}%n",
                    hw[0], hw[1], workers, batch, r.source().replace("\\", "\\\\").replace("\"", "\\\""), r.meanFileBytes(),
                    r.decodeMs(), r.augmentMs(), r.imagesPerS());
        } else {
            System.out.printf(Locale.ROOT, "data loader: %s (mean file %d KB) -> %dx%d, training augmentation, batch %d%n",
                    r.source(), r.meanFileBytes() / 1024, hw[0], hw[1], batch);
            System.out.printf(Locale.ROOT, "  1 thread:  decode %.2f ms/image, augment + normalise %.2f ms/image%n", r.decodeMs(), r.augmentMs());
            System.out.printf(Locale.ROOT, "  loader, %d workers: %.1f images/s (median of %d epochs after 1 warm-up)%n", workers, r.imagesPerS(), epochs);
        }
        return 0;
    }
}
