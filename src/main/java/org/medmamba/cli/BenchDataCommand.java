package org.medmamba.cli;

import org.medmamba.data.Dataset;
import org.medmamba.data.image.Image;
import org.medmamba.data.ImageFiles;
import org.medmamba.data.Sample;
import org.medmamba.data.loader.DataLoader;
import org.medmamba.data.loader.Epoch;
import org.medmamba.data.transform.Augmentation;
import org.medmamba.data.transform.Preprocessing;
import org.medmamba.data.transform.Preprocessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * {@code medmamba bench data}: decoding + full training augmentation throughput of the loader, on
 * generated 512×512 PNGs (or a folder of yours), with the parts timed separately on one thread.
 */
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

    /** Files decoded with {@link ImageFiles#read}, all in class 0. */
    record Files(List<Sample> samples) implements Dataset {
        public List<String> classes() {
            return List.of("0");
        }

        public Image load(Sample s) throws IOException {
            return ImageFiles.read(s.file());
        }
    }

    @Override
    public Integer call() throws IOException {
        int[] hw = ImageSizes.parse(imageSize);
        Path dir = data;
        Path tmp = null;
        if (dir == null) {
            tmp = java.nio.file.Files.createTempDirectory("medmamba-bench-data");
            dir = tmp;
            if (!json) System.err.printf(Locale.ROOT, "writing %d %dx%d RGB PNGs to %s ...%n", images, sourceSize, sourceSize, dir);
            for (int i = 0; i < images; i++) ImageIO.write(synthetic(sourceSize, i), "png", dir.resolve(String.format("img%04d.png", i)).toFile());
        }
        try {
            List<Sample> samples = new ArrayList<>();
            try (Stream<Path> s = java.nio.file.Files.walk(dir)) {
                s.filter(java.nio.file.Files::isRegularFile).filter(ImageFiles::isImage).sorted()
                        .forEach(p -> samples.add(new Sample(p, 0, 0, "train", p.toString())));
            }
            if (samples.isEmpty()) throw new IllegalArgumentException(dir + ": no images to benchmark");
            Files ds = new Files(samples);
            Preprocessing pre = Preprocessing.imagenet(3, hw[0], hw[1], Augmentation.SEED);
            long bytes = 0;
            for (Sample s : samples) bytes += java.nio.file.Files.size(s.file());

            // one thread, parts separately: decode, then augment the decoded images
            int n = Math.min(samples.size(), 64);
            for (int i = 0; i < n; i++) ds.load(samples.get(i)); // warm-up
            long t0 = System.nanoTime();
            List<Image> decoded = new ArrayList<>();
            for (int i = 0; i < n; i++) decoded.add(ds.load(samples.get(i)));
            double decodeMs = (System.nanoTime() - t0) / 1e6 / n;
            Preprocessor pp = new Preprocessor(pre);
            float[] out = new float[pre.floatsPerImage()];
            for (int i = 0; i < n; i++) pp.apply(decoded.get(i), Preprocessor.sampleSeed(0, 99, i), out, 0);
            t0 = System.nanoTime();
            for (int r = 0; r < 3; r++)
                for (int i = 0; i < n; i++) pp.apply(decoded.get(i), Preprocessor.sampleSeed(0, r, i), out, 0);
            double augmentMs = (System.nanoTime() - t0) / 1e6 / (3 * n);
            decoded.clear();

            // the loader with its workers, end to end
            DataLoader loader = new DataLoader(ds, samples, pre, batch, true, false, 1, workers, 4);
            double[] rates = new double[epochs];
            for (int e = 0; e <= epochs; e++) {
                long s0 = System.nanoTime();
                int count = 0;
                try (Epoch ep = loader.epoch(e)) {
                    while (ep.hasNext()) count += ep.next().size();
                }
                double rate = count / ((System.nanoTime() - s0) / 1e9);
                if (e > 0) rates[e - 1] = rate;
                if (!json) System.err.printf(Locale.ROOT, "  epoch %d%s: %d images, %.1f images/s%n", e, e == 0 ? " (warm-up)" : "", count, rate);
            }
            java.util.Arrays.sort(rates);
            double median = rates[epochs / 2];
            String source = data == null ? String.format(Locale.ROOT, "%d generated %dx%d RGB PNGs", images, sourceSize, sourceSize)
                    : samples.size() + " images in " + data;
            if (json) {
                System.out.printf(Locale.ROOT, "{\"image_size\": [%d, %d], \"workers\": %d, \"batch\": %d, \"source\": \"%s\", "
                                + "\"mean_file_bytes\": %d, \"decode_ms_1_thread\": %.3f, \"augment_ms_1_thread\": %.3f, \"images_per_s\": %.1f}%n",
                        hw[0], hw[1], workers, batch, source.replace("\\", "\\\\").replace("\"", "\\\""), bytes / samples.size(), decodeMs, augmentMs, median);
            } else {
                System.out.printf(Locale.ROOT, "data loader: %s (mean file %d KB) -> %dx%d, training augmentation, batch %d%n",
                        source, bytes / samples.size() / 1024, hw[0], hw[1], batch);
                System.out.printf(Locale.ROOT, "  1 thread:  decode %.2f ms/image, augment + normalise %.2f ms/image%n", decodeMs, augmentMs);
                System.out.printf(Locale.ROOT, "  loader, %d workers: %.1f images/s (median of %d epochs after 1 warm-up)%n", workers, median, epochs);
            }
            return 0;
        } finally {
            if (tmp != null) try (Stream<Path> s = java.nio.file.Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A photo-like RGB picture: smooth shading, a disc, vessel-like curves and sensor noise. */
    static BufferedImage synthetic(int size, int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        double fx = 20 + r.nextDouble() * 40, fy = 20 + r.nextDouble() * 40, cx = size * r.nextDouble(), cy = size * r.nextDouble();
        int[] row = new int[size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = Math.hypot(x - size / 2.0, y - size / 2.0) / (size / 2.0);
                double shade = d > 1 ? 0 : 1 - 0.6 * d * d;
                double vessel = Math.abs(Math.sin(x / fx + Math.cos(y / fy) * 2)) < 0.05 ? 0.6 : 1;
                double disc = Math.hypot(x - cx, y - cy) < size / 12.0 ? 1.4 : 1;
                double noise = r.nextGaussian() * 3;
                int red = clamp(200 * shade * vessel * disc + noise), green = clamp(90 * shade * vessel * disc + noise),
                        blue = clamp(40 * shade * disc + noise);
                row[x] = (red << 16) | (green << 8) | blue;
            }
            img.setRGB(0, y, size, 1, row, 0, size);
        }
        return img;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
