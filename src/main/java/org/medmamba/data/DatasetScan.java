package org.medmamba.data;

import org.medmamba.data.image.Image;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes every sample once before training, so a corrupt file fails in seconds rather than hours into a run,
 * and gathers the image sizes and channel counts. Reads only; never writes to the dataset.
 */
public final class DatasetScan {
    private DatasetScan() {}

    public enum OnBadFile { FAIL, SKIP }

    /** A sample that did not decode, with a one-line reason. */
    public record BadFile(Sample sample, String reason) {
        @Override
        public String toString() {
            return sample.file() + (sample.index() != 0 || sample.file().toString().endsWith(".npz")
                    ? "[" + sample.split() + " " + sample.index() + "]" : "") + ": " + reason;
        }
    }

    public record Size(int height, int width) {
        @Override
        public String toString() {
            return height + "x" + width;
        }
    }

    /** What the scan found; sizes and channels map to sample counts (most frequent size first). */
    public record Result(int total, List<BadFile> bad, Map<Size, Integer> sizes, Map<Integer, Integer> channels) {}

    /** The dataset to train on and how many samples were left out. */
    public record Checked(Dataset dataset, int skipped, Result result) {}

    @FunctionalInterface
    public interface Progress {
        /** Called after each sample, serially, from a worker thread. */
        void update(int done, int total);
    }

    public static Result scan(Dataset d, int threads, Progress progress) {
        List<Sample> samples = d.samples();
        int total = samples.size();
        BadFile[] bad = new BadFile[total];
        Map<Size, Integer> sizes = new ConcurrentHashMap<>();
        Map<Integer, Integer> channels = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        int[] done = {0};
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < total; ) {
                Sample s = samples.get(i);
                try {
                    Image im = d.load(s);
                    sizes.merge(new Size(im.height(), im.width()), 1, Integer::sum);
                    channels.merge(im.channels(), 1, Integer::sum);
                } catch (IOException | RuntimeException e) {
                    bad[i] = new BadFile(s, reason(s, e));
                } catch (OutOfMemoryError e) {
                    bad[i] = new BadFile(s, "out of memory decoding it");
                } catch (StackOverflowError e) {
                    bad[i] = new BadFile(s, "nested too deeply to decode (stack overflow)");
                }
                synchronized (done) {
                    done[0]++;
                    if (progress != null) progress.update(done[0], total);
                }
            }
        };
        int n = Math.max(1, Math.min(threads, total));
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < n; t++) ts.add(Thread.ofPlatform().name("scan-" + t).daemon().start(worker));
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("scan interrupted", e);
            }
        }
        List<BadFile> badList = new ArrayList<>();
        for (BadFile b : bad) if (b != null) badList.add(b);
        Map<Size, Integer> bySize = new TreeMap<>(Comparator.<Size>comparingInt(sizes::get).reversed()
                .thenComparingInt(Size::height).thenComparingInt(Size::width));
        bySize.putAll(sizes);
        return new Result(total, List.copyOf(badList), java.util.Collections.unmodifiableMap(bySize), new TreeMap<>(channels));
    }

    /** Scans and applies the policy: FAIL throws an error listing the bad files; SKIP drops them. */
    public static Checked check(Dataset d, OnBadFile policy, int threads, Progress progress) throws IOException {
        Result r = scan(d, threads, progress);
        if (r.bad().isEmpty()) return new Checked(d, 0, r);
        if (policy == OnBadFile.FAIL) // the CLI prints a message's first line: make it say enough on its own
            throw new IOException(r.bad().size() + (r.bad().size() == 1 ? " file does" : " files do") + " not decode (first: "
                    + r.bad().getFirst() + "); skipping bad files trains without them\n" + describe(r.bad(), 20));
        Set<Sample> drop = new HashSet<>();
        for (BadFile b : r.bad()) drop.add(b.sample());
        return new Checked(new SubsetDataset(d, d.samples().stream().filter(s -> !drop.contains(s)).toList()), drop.size(), r);
    }

    /** "N bad files:" then the first {@code limit}, then "... and M more". */
    public static String describe(List<BadFile> bad, int limit) {
        StringBuilder b = new StringBuilder(bad.size() + (bad.size() == 1 ? " file does" : " files do") + " not decode:");
        for (int i = 0; i < Math.min(limit, bad.size()); i++) b.append("\n  ").append(bad.get(i));
        if (bad.size() > limit) b.append("\n  ... and ").append(bad.size() - limit).append(" more");
        return b.toString();
    }

    private static String reason(Sample s, Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        String prefix = s.file() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
