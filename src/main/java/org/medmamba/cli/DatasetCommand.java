package org.medmamba.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.medmamba.api.DatasetSplit;
import org.medmamba.api.DatasetSummary;
import org.medmamba.api.Progress;
import org.medmamba.data.DatasetScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

/** {@code medmamba dataset inspect|split}: flags onto {@link DatasetSummary} and {@link DatasetSplit}, and their tables. */
@Command(name = "dataset", mixinStandardHelpOptions = true, description = "Inspect a dataset or split it into train/val/test.",
        subcommands = {DatasetCommand.Inspect.class, DatasetCommand.Split.class, DatasetCommand.Npz.class})
public final class DatasetCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Source type, classes with counts per split, image sizes and channels, and files that do not decode.",
                    "Exit code 1 when some files do not decode."})
    static final class Inspect implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "A folder of class folders, a .csv manifest or a MedMNIST .npz.")
        Path path;

        @Mixin
        LabelTagOption labelTag = new LabelTagOption();

        @Option(names = "--json", description = "One JSON object on stdout instead of the report.")
        boolean json;

        @Option(names = "--no-scan", description = "Count only; do not decode every image.")
        boolean noScan;

        @Mixin
        ThreadsOption threads = new ThreadsOption();

        @Override
        public Integer call() throws Exception {
            DatasetSummary d = DatasetSummary.of(labelTag.source(path), !noScan, threads.threads,
                    noScan ? Progress.NONE : EvaluateCommand.bar("decoding"));
            if (json) printJson(d);
            else printReport(d);
            return d.scan() != null && !d.scan().bad().isEmpty() ? 1 : 0;
        }

        private void printReport(DatasetSummary d) {
            System.out.println(path + " (" + d.source() + ")");
            System.out.printf(Locale.ROOT, "%d images, %d classes%n", d.images(), d.classes().size());
            printTable(d.classes(), d.countsBySplit());
            List<String> empty = d.emptyClasses();
            DatasetScan.Result scan = d.scan();
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

        private void printJson(DatasetSummary d) throws Exception {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("path", path.toString());
            o.put("source", d.source());
            o.put("images", d.images());
            List<Object> classes = new ArrayList<>();
            int[] total = d.totals();
            DatasetScan.Result scan = d.scan();
            for (int c = 0; c < d.classes().size(); c++) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("name", d.classes().get(c));
                k.put("count", total[c]);
                Map<String, Integer> per = new LinkedHashMap<>();
                for (var e : d.countsBySplit().entrySet()) per.put(e.getKey().isEmpty() ? "none" : e.getKey(), e.getValue()[c]);
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
            description = {"Writes a CSV manifest (path,label,split[,frame][,group]) with a stratified train/val/test split;",
                    "a multi-frame DICOM file gives a row per frame, all on one side.",
                    "Nothing in the dataset is modified; the manifest goes to --out (default ./split.csv)."})
    static final class Split implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "A folder of class folders or a .csv manifest.")
        Path path;

        @Mixin
        LabelTagOption labelTag = new LabelTagOption();

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
            if (Files.exists(out) && !force) throw new IllegalArgumentException(out + ": exists (use --force to overwrite it)");
            DatasetSplit.Result r = DatasetSplit.of(labelTag.source(path)).val(val).test(test).seed(seed).groupBy(groupBy)
                    .overwrite(force).write(out);
            if (r.ignoredOriginalSplit()) System.out.println("note: the split the dataset came with was ignored");
            System.out.printf(Locale.ROOT, "%s: %d images%s, %d classes, seed %d%n", out, r.images(),
                    r.grouped() ? " in " + r.groups() + " groups" : "", r.classes().size(), seed);
            printTable(r.classes(), r.countsBySplit());
            for (String w : r.warnings()) System.err.println("warning: " + w);
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

    @Command(name = "npz", mixinStandardHelpOptions = true,
            description = {"Writes IDX files (MNIST, Fashion-MNIST: train-/t10k-images-idx3-ubyte[.gz] with their labels) as a",
                    "MedMNIST-style .npz: {train,val,test}_images (N,H,W) uint8 and _labels (N,1); val is a seeded,",
                    "class-stratified share of the IDX training split, test is t10k."})
    static final class Npz implements Callable<Integer> {
        @Parameters(paramLabel = "IDX_FOLDER", description = "Folder of IDX files, e.g. /usr/share/datasets/fashion-mnist.")
        Path folder;

        @Option(names = "--out", required = true, paramLabel = "FILE.npz", description = "The .npz to write.")
        Path out;

        @Option(names = "--val", description = "Fraction of each class of the training split for validation (default ${DEFAULT-VALUE}).")
        double val = 0.1;

        @Option(names = "--limit", description = "At most this many images per split, classes in proportion (default 0: all).")
        int limit = 0;

        @Option(names = "--seed", description = "Seed of the val draw and the --limit subset (default ${DEFAULT-VALUE}).")
        long seed = 0;

        @Override
        public Integer call() throws Exception {
            var r = org.medmamba.api.MedMnistExport.write(folder, out, val, limit, seed);
            System.out.printf(Locale.ROOT, "wrote %s: %dx%d gray, %d classes, %s%n", r.out(), r.width(), r.height(), r.classes(), r.counts());
            return 0;
        }
    }
}
