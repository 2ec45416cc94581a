package org.medmamba.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.medmamba.api.Classifier;
import org.medmamba.api.FilePrediction;
import org.medmamba.api.InputFiles;
import org.medmamba.api.PredictionJson;
import org.medmamba.kernels.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code medmamba predict}: flags onto {@link Classifier#inputs} and {@link Classifier#predictEach}; prints a table or JSON. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify images (PNG, JPEG, BMP, GIF, TIFF, DICOM; folders are searched recursively) with a model bundle.",
                "Multi-frame DICOM files give one row per frame. Exit code 1 when some input failed."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.mmb")
    Path model;

    @Option(names = "--json", description = {"Print exactly one JSON array: one object per input (and per frame), in input order;",
            "an input that failed has \"error\" instead of a prediction."})
    boolean json;

    @Option(names = "--top", paramLabel = "K", description = "Show the K most probable classes per image in the table (default ${DEFAULT-VALUE}).")
    int top = 1;

    @Option(names = "--verbose", description = "List the files a folder search skipped (default: one summary line).")
    boolean verbose;

    @Option(names = "--batch-size", description = "Images per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize = Classifier.DEFAULT_BATCH;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR")
    List<Path> inputs;

    @Override
    public Integer call() throws IOException {
        if (top < 1) throw new IllegalArgumentException("--top must be >= 1");
        Parallel.setThreads(threads.threads);
        try (Classifier c = Classifier.load(model, batchSize)) {
            InputFiles in = Classifier.inputs(inputs);
            reportSkipped(in.skipped(), verbose, System.err);
            List<FilePrediction> rows = c.predictEach(in.files());
            int failures = 0;
            for (FilePrediction r : rows)
                if (!r.ok()) {
                    System.err.println("medmamba: " + r.error());
                    failures++;
                }
            if (rows.isEmpty()) System.err.println("medmamba: no image files found in " + inputs);
            if (json) System.out.println(json(rows));
            else table(rows.stream().filter(FilePrediction::ok).toList(), c.labels(), top, System.out);
            return failures > 0 || rows.isEmpty() ? 1 : 0;
        }
    }

    /** One line: how many files the folder search skipped, by reason; or every one with --verbose. */
    static void reportSkipped(List<InputFiles.Skipped> skipped, boolean verbose, PrintStream err) {
        if (skipped.isEmpty()) return;
        if (verbose) {
            for (InputFiles.Skipped s : skipped) err.println("medmamba: skipped " + s.file() + ": " + s.reason());
            return;
        }
        Map<String, Integer> byReason = new TreeMap<>();
        for (InputFiles.Skipped s : skipped) byReason.merge(s.reason(), 1, Integer::sum);
        StringBuilder b = new StringBuilder("medmamba: skipped " + skipped.size() + " file" + (skipped.size() == 1 ? "" : "s") + " in the folders (");
        int i = 0;
        for (var e : byReason.entrySet()) b.append(i++ > 0 ? ", " : "").append(e.getValue()).append(' ').append(e.getKey());
        err.println(b.append("); --verbose lists them"));
    }

    /** One JSON array: file, frame (multi-frame files only), then class_index, label, probabilities, or error. */
    static String json(List<FilePrediction> rows) throws IOException {
        return new ObjectMapper().writeValueAsString(PredictionJson.array(rows));
    }

    static void table(List<FilePrediction> rows, List<String> labels, int top, PrintStream out) {
        int fw = Math.max(4, rows.stream().mapToInt(r -> r.name().length()).max().orElse(4));
        int lw = Math.max(5, labels.stream().mapToInt(String::length).max().orElse(5));
        int k = Math.min(top, labels.size());
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-" + fw + "s", "file"));
        for (int j = 0; j < k; j++)
            h.append(String.format(Locale.ROOT, "  %-" + lw + "s  %s", k == 1 ? "label" : "label " + (j + 1), "probability"));
        out.println(h.toString().stripTrailing());
        for (FilePrediction r : rows) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + fw + "s", r.name()));
            float[] p = r.prediction().probabilities();
            for (int c : r.prediction().top(k)) b.append(String.format(Locale.ROOT, "  %-" + lw + "s  %11.4f", labels.get(c), p[c]));
            out.println(b.toString().stripTrailing());
        }
    }
}
