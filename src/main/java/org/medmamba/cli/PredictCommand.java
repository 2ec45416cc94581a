package org.medmamba.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medmamba.api.Classifier;
import org.medmamba.api.FilePrediction;
import org.medmamba.api.Prediction;
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
import java.util.concurrent.Callable;

/** {@code medmamba predict}: flags onto {@link Classifier#predictEach}; prints a table or JSON. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify images (PNG, JPEG, BMP, GIF, TIFF, DICOM; folders are searched recursively) with a model bundle.",
                "Multi-frame DICOM files give one row per frame."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.mmb")
    Path model;

    @Option(names = "--json", description = "Print exactly one JSON array, in input order.")
    boolean json;

    @Option(names = "--batch-size", description = "Images per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize = Classifier.DEFAULT_BATCH;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR")
    List<Path> inputs;

    @Override
    public Integer call() throws IOException {
        Parallel.setThreads(threads.threads);
        try (Classifier c = Classifier.load(model, batchSize)) {
            List<FilePrediction> rows = c.predictEach(inputs);
            int failures = 0;
            for (FilePrediction r : rows)
                if (!r.ok()) {
                    System.err.println("medmamba: " + r.error());
                    failures++;
                }
            if (rows.isEmpty()) System.err.println("medmamba: no image files found in " + inputs);
            List<FilePrediction> ok = rows.stream().filter(FilePrediction::ok).toList();
            if (json) System.out.println(json(ok));
            else table(ok, System.out);
            return failures > 0 || rows.isEmpty() ? 1 : 0;
        }
    }

    /** One JSON array: file, frame (multi-frame files only), class_index, label, probabilities. */
    static String json(List<FilePrediction> rows) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ArrayNode arr = m.createArrayNode();
        for (FilePrediction r : rows) {
            ObjectNode o = arr.addObject();
            o.put("file", r.file().toString());
            if (r.frame() >= 0) o.put("frame", r.frame());
            Prediction p = r.prediction();
            o.put("class_index", p.index()).put("label", p.label());
            ArrayNode probs = o.putArray("probabilities");
            for (float v : p.probabilities()) probs.add(v);
        }
        return m.writeValueAsString(arr);
    }

    static void table(List<FilePrediction> rows, PrintStream out) {
        int fw = Math.max(4, rows.stream().mapToInt(r -> r.name().length()).max().orElse(4));
        int lw = Math.max(5, rows.stream().mapToInt(r -> r.prediction().label().length()).max().orElse(5));
        out.printf(Locale.ROOT, "%-" + fw + "s  %-" + lw + "s  %s%n", "file", "label", "probability");
        for (FilePrediction r : rows)
            out.printf(Locale.ROOT, "%-" + fw + "s  %-" + lw + "s  %.4f%n", r.name(), r.prediction().label(), r.prediction().probability());
    }
}
