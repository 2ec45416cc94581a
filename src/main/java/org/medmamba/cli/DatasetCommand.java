package org.medmamba.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.medmamba.data.CsvManifestDataset;
import org.medmamba.data.Dataset;
import org.medmamba.data.DatasetScan;
import org.medmamba.data.Datasets;
import org.medmamba.data.NpzDataset;
import org.medmamba.data.Sample;
import org.medmamba.data.Splitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code medmamba dataset inspect|split}: look at a dataset, or write a train/val/test manifest for it. */
@Command(name = "dataset", mixinStandardHelpOptions = true, description = "Inspect a dataset or split it into train/val/test.",
        subcommands = {DatasetCommand.Inspect.class, DatasetCommand.Split.class})
public final class DatasetCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static int defaultThreads() {
        return Math.min(4, Runtime.getRuntime().availableProcessors());
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Source type, classes with counts per split, image sizes and channels, and files that do not decode.",
                    "Exit code 1 when some files do not decode."})
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "A folder of class folders, a .csv manifest or a MedMNIST .npz.")
        Path path;

        @Option(names = "--label-tag", paramLabel = "TAG", description = "PATH is a folder of DICOM files labelled by this tag (keyword such as BodyPartExamined, or GGGG,EEEE).")
        String labelTag;


        @Option(names = "--json", description = "One JSON object on stdout instead of the report.")
        boolean json;

        @Option(names = "--no-scan", description = "Count only; do not decode every image.")
        boolean noScan;

        @Option(names = "--threads", description = "Decoding threads (default: up to 4).")
        int threads = defaultThreads();

        @Override
        public Integer call() throws Exception {
            Dataset d = Datasets.open(path, labelTag);
            DatasetScan.Result scan = null;
            if (!noScan) {
                ProgressBar bar = ProgressBar.stderr("decoding", "img");
                scan = DatasetScan.scan(d, threads, bar::update);
                bar.finish();
            }
            Map<String, int[]> counts = Splitter.counts(d.samples(), d.classes().size());
            if (json) printJson(d, counts, scan);
            else printReport(d, counts, scan);
            return scan != null && !scan.bad().isEmpty() ? 1 : 0;
        }

        private void printReport(Dataset d, Map<String, int[]> counts, DatasetScan.Result scan) {
            System.out.println(path + " (" + Datasets.kind(d) + ")");
            System.out.printf(Locale.ROOT, "%d images, %d classes%n", d.samples().size(), d.classes().size());
            printTable(d.classes(), counts);
            List<String> empty = new ArrayList<>();
            int[] total = totals(counts, d.classes().size());
            for (int c = 0; c < total.length; c++) if (total[c] == 0) empty.add(d.classes().get(c));
            if (!empty.isEmpty()) System.out.println("classes without images: " + String.join(", ", empty));
            if (scan == null) return;
            List<String> sizes = new ArrayList<>();
            scan.sizes().forEach((s, n) -> sizes.add(s + " (" + n + ")"));
            int shown = Math.min(10, sizes.size());
            System.out.println("image sizes (HxW): " + (sizes.isEmpty() ? "none" : String.join(", ", sizes.subList(0, shown))
                    + (sizes.size() > shown ? ", ... " + (sizes.size() - shown) + " more sizes" : "")));
            List<String> ch = new ArrayList<>();
            scan.channels().forEach((c, n) -> ch.add(c + " (" + n + ")"));
            System.out.println("channels: " + (ch.isEmpty() ? "none" : String.join(", ", ch)));
            System.out.println(scan.bad().isEmpty() ? "bad files: none" : "bad files: " + DatasetScan.describe(scan.bad(), 20));
        }

        private void printJson(Dataset d, Map<String, int[]> counts, DatasetScan.Result scan) throws Exception {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("path", path.toString());
            o.put("source", Datasets.kind(d));
            o.put("images", d.samples().size());
            List<Object> classes = new ArrayList<>();
            int[] total = totals(counts, d.classes().size());
            for (int c = 0; c < d.classes().size(); c++) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("name", d.classes().get(c));
                k.put("count", total[c]);
                Map<String, Integer> per = new LinkedHashMap<>();
                for (var e : counts.entrySet()) per.put(e.getKey().isEmpty() ? "none" : e.getKey(), e.getValue()[c]);
                k.put("splits", per);
                classes.add(k);
            }
            o.put("classes", classes);
            if (scan != null) {
                List<Object> sizes = new ArrayList<>();
                scan.sizes().forEach((s, n) -> sizes.add(Map.of("height", s.height(), "width", s.width(), "count", n)));
                o.put("sizes", sizes);
                Map<String, Integer> ch = new LinkedHashMap<>();
                scan.channels().forEach((c, n) -> ch.put(c.toString(), n));
                o.put("channels", ch);
                List<Object> bad = new ArrayList<>();
                for (var b : scan.bad()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("file", b.sample().file().toString());
                    m.put("index", b.sample().index());
                    m.put("split", b.sample().split());
                    m.put("reason", b.reason());
                    bad.add(m);
                }
                o.put("bad_files", bad);
            }
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true,
            description = {"Writes a CSV manifest (path,label,split) with a stratified train/val/test split.",
                    "Nothing in the dataset is modified; the manifest goes to --out (default ./split.csv)."})
    static final class Split implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "A folder of class folders or a .csv manifest.")
        Path path;

        @Option(names = "--label-tag", paramLabel = "TAG", description = "PATH is a folder of DICOM files labelled by this tag (keyword such as BodyPartExamined, or GGGG,EEEE).")
        String labelTag;


        @Option(names = "--val", description = "Fraction of each class for validation (default ${DEFAULT-VALUE}).")
        double val = 0.1;

        @Option(names = "--test", description = "Fraction of each class for test (default ${DEFAULT-VALUE}).")
        double test = 0.2;

        @Option(names = "--seed", description = "Shuffle seed; the same seed gives the same split (default ${DEFAULT-VALUE}).")
        long seed = 0;

        @Option(names = "--group-by", paramLabel = "REGEX",
                description = {"Keep images whose group matches on one side: the regex is searched in the path relative to",
                        "the dataset root; its first capture group (or the whole match) names the group, e.g. '^[^/]+/(P\\d+)_'."})
        String groupBy;

        @Option(names = "--out", description = "Manifest to write (default ./split.csv).")
        Path out = Path.of("split.csv");

        @Option(names = "--force", description = "Overwrite an existing manifest.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            Dataset d = Datasets.open(path, labelTag);
            if (d instanceof NpzDataset)
                throw new IllegalArgumentException(path + ": a MedMNIST .npz comes already split into train/val/test");
            if (Files.exists(out) && !force) throw new IllegalArgumentException(out + ": exists (use --force to overwrite it)");
            Path root = Datasets.root(d).toAbsolutePath().normalize();
            Function<Sample, String> groupOf = Sample::group;
            if (groupBy != null) {
                Pattern p;
                try {
                    p = Pattern.compile(groupBy);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("--group-by: bad regex (" + e.getDescription() + ")");
                }
                groupOf = s -> {
                    String rel = root.relativize(s.file().toAbsolutePath().normalize()).toString().replace('\\', '/');
                    Matcher m = p.matcher(rel);
                    if (!m.find()) throw new IllegalArgumentException("--group-by '" + groupBy + "' does not match " + rel);
                    String g = m.groupCount() > 0 ? m.group(1) : m.group();
                    if (g == null || g.isEmpty()) throw new IllegalArgumentException("--group-by '" + groupBy + "' gives an empty group for " + rel);
                    return g;
                };
            }
            boolean hadSplits = d.samples().stream().anyMatch(s -> !s.split().isEmpty());
            List<Sample> split = Splitter.split(d.samples(), d.classes().size(), val, test, seed, groupOf);
            CsvManifestDataset.write(out, d.classes(), split, groupBy != null);
            if (hadSplits) System.out.println("note: the split the dataset came with was ignored");
            long groups = split.stream().map(Sample::group).distinct().count();
            System.out.printf(Locale.ROOT, "%s: %d images%s, %d classes, seed %d%n", out, split.size(),
                    groupBy != null ? " in " + groups + " groups" : "", d.classes().size(), seed);
            printTable(d.classes(), Splitter.counts(split, d.classes().size()));
            return 0;
        }
    }

    static int[] totals(Map<String, int[]> counts, int numClasses) {
        int[] t = new int[numClasses];
        for (int[] c : counts.values()) for (int i = 0; i < numClasses; i++) t[i] += c[i];
        return t;
    }

    /** Class rows × split columns (+ total), right-aligned counts. */
    static void printTable(List<String> classes, Map<String, int[]> counts) {
        List<String> cols = new ArrayList<>();
        for (String s : counts.keySet()) cols.add(s.isEmpty() ? "(no split)" : s);
        boolean onlyTotal = cols.size() == 1 && cols.getFirst().equals("(no split)");
        if (!onlyTotal || cols.isEmpty()) cols.add("total");
        else cols.set(0, "count");
        int nameW = "class".length();
        for (String c : classes) nameW = Math.max(nameW, c.length());
        nameW = Math.max(nameW, "total".length());
        int[] total = totals(counts, classes.size());
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "  %-" + nameW + "s", "class"));
        for (String c : cols) h.append(String.format(Locale.ROOT, " %10s", c));
        System.out.println(h);
        List<int[]> colVals = new ArrayList<>(counts.values());
        for (int r = 0; r <= classes.size(); r++) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %-" + nameW + "s", r < classes.size() ? classes.get(r) : "total"));
            for (int k = 0; k < cols.size(); k++) {
                int[] v = k < colVals.size() ? colVals.get(k) : total;
                long x = 0;
                if (r < classes.size()) x = v[r];
                else for (int i : v) x += i;
                b.append(String.format(Locale.ROOT, " %10d", x));
            }
            System.out.println(b);
        }
    }
}
