package org.medmamba.bench;

import org.medmamba.data.Dataset;
import org.medmamba.data.ImageFiles;
import org.medmamba.data.Sample;
import org.medmamba.data.image.Image;
import org.medmamba.data.loader.DataLoader;
import org.medmamba.data.loader.Epoch;
import org.medmamba.data.transform.Augmentation;
import org.medmamba.data.transform.Preprocessing;
import org.medmamba.data.transform.Preprocessor;

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
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Decoding + full training augmentation throughput of the loader, on generated PNGs (or a folder
 * of the user's), with the parts also timed separately on one thread.
 */
public final class DataBenchmark {
    private DataBenchmark() {}

    /** @param data null to generate {@code images} PNGs of {@code sourceSize}² in a temporary folder */
    public record Settings(int height, int width, int sourceSize, int images, Path data, int workers, int batch, int epochs) {
        public Settings {
            Checks.positive("source-size", sourceSize);
            Checks.positive("images", images);
            Checks.positive("workers", workers);
            Checks.positive("batch", batch);
            Checks.positive("epochs", epochs);
        }
    }

    public record Result(String source, long meanFileBytes, double decodeMs, double augmentMs, double imagesPerS) {}

    /** Files decoded with {@link ImageFiles#read}, all in class 0. */
    private record FileSet(List<Sample> samples) implements Dataset {
        public List<String> classes() {
            return List.of("0");
        }

        public Image load(Sample s) throws IOException {
            return ImageFiles.read(s.file());
        }
    }

    public static Result run(Settings s, Consumer<String> progress) throws IOException {
        Path dir = s.data(), tmp = null;
        if (dir == null) {
            tmp = Files.createTempDirectory("medmamba-bench-data");
            dir = tmp;
            progress.accept(String.format(Locale.ROOT, "writing %d %dx%d RGB PNGs to %s ...", s.images(), s.sourceSize(), s.sourceSize(), dir));
            for (int i = 0; i < s.images(); i++)
                ImageIO.write(synthetic(s.sourceSize(), i), "png", dir.resolve(String.format("img%04d.png", i)).toFile());
        }
        try {
            List<Sample> samples = new ArrayList<>();
            try (Stream<Path> w = Files.walk(dir)) {
                w.filter(Files::isRegularFile).filter(ImageFiles::isImage).sorted()
                        .forEach(p -> samples.add(new Sample(p, 0, 0, "train", p.toString())));
            }
            if (samples.isEmpty()) throw new IllegalArgumentException(dir + ": no images to benchmark");
            FileSet ds = new FileSet(samples);
            Preprocessing pre = Preprocessing.imagenet(3, s.height(), s.width(), Augmentation.SEED);
            long bytes = 0;
            for (Sample x : samples) bytes += Files.size(x.file());

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
            DataLoader loader = new DataLoader(ds, samples, pre, s.batch(), true, false, 1, s.workers(), 4);
            double[] rates = new double[s.epochs()];
            for (int e = 0; e <= s.epochs(); e++) {
                long s0 = System.nanoTime();
                int count = 0;
                try (Epoch ep = loader.epoch(e)) {
                    while (ep.hasNext()) count += ep.next().size();
                }
                double rate = count / ((System.nanoTime() - s0) / 1e9);
                if (e > 0) rates[e - 1] = rate;
                progress.accept(String.format(Locale.ROOT, "epoch %d%s: %d images, %.1f images/s", e, e == 0 ? " (warm-up)" : "", count, rate));
            }
            String source = s.data() == null ? String.format(Locale.ROOT, "%d generated %dx%d RGB PNGs", s.images(), s.sourceSize(), s.sourceSize())
                    : samples.size() + " images in " + s.data();
            return new Result(source, bytes / samples.size(), decodeMs, augmentMs, Checks.median(rates));
        } finally {
            if (tmp != null) try (Stream<Path> w = Files.walk(tmp)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
