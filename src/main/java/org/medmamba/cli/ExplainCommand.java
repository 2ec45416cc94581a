package org.medmamba.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.medmamba.api.Explainer;
import org.medmamba.api.Progress;
import org.medmamba.api.SavedExplanation;
import org.medmamba.explain.Explanation;
import org.medmamba.kernels.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba explain}: flags onto {@link Explainer#explainAndSave}; prints one line per map or JSON. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain predictions: write DIR/<name>.<method>.png (overlay) and .npy (H x W float32 map at the model's input size);",
                "folders are searched recursively as predict does; frame N of a multi-frame DICOM file gives DIR/<name>.fN.<method>.png (N from 0).",
                "Methods: saliency (|dp/dx|), smoothgrad, ig (integrated gradients), gradcam and gradcam++ (--layer), occlusion.",
                "Exit code 1 when some input failed."})
public final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.mmb")
    Path model;

    @Option(names = "--method", split = ",", paramLabel = "M", description = "Methods, comma-separated (default ${DEFAULT-VALUE}).")
    List<String> methods = new ArrayList<>(List.of("gradcam"));

    @Option(names = "--class", paramLabel = "LABEL|top", description = "The class to explain (default ${DEFAULT-VALUE}: the most probable one).")
    String classOrTop = Explainer.TOP;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the PNG and .npy files (default ${DEFAULT-VALUE}).")
    Path out = Path.of(".");

    @Option(names = "--layer", paramLabel = "STAGE", description = "Stage 0..3 for gradcam and gradcam++ (default ${DEFAULT-VALUE}: the last).")
    int layer = 3;

    @Option(names = "--json", description = "Print exactly one JSON array, input order: file, frame (multi-frame only), method, class, label, probability, png, npy, dicom (with --dicom-out).")
    boolean json;

    @Option(names = "--dicom-out", description = {"For DICOM inputs also write each overlay as a DICOM Secondary Capture DIR/<name>.<method>.dcm",
            "(RGB; same patient and study, a new series per method); other inputs get a one-line notice."})
    boolean dicomOut;

    @Option(names = "--verbose", description = "List the files a folder search skipped (default: one summary line).")
    boolean verbose;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Parameters(arity = "0..*", paramLabel = "FILE_OR_DIR")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--evaluate", description = "Instead of writing maps: deletion and insertion AUC of each method (and of a random map) on --data.")
    boolean evaluate;

    @Option(names = "--data", paramLabel = "DATA", description = "With --evaluate: the dataset (image folders, CSV manifest, .npz).")
    Path data;

    @Option(names = "--split", description = "With --evaluate: the split to use (default ${DEFAULT-VALUE}).")
    String split = "test";

    @Option(names = "--limit", paramLabel = "N", description = "With --evaluate: at most N images (default ${DEFAULT-VALUE}).")
    int limit = 50;

    @Option(names = "--steps", description = "With --evaluate: points per deletion/insertion curve, minus one (default ${DEFAULT-VALUE}).")
    int steps = 16;

    @Override
    public Integer call() throws IOException {
        Parallel.setThreads(threads.threads);
        Explainer.checkMethods(methods);
        if (evaluate == (data == null)) throw new IllegalArgumentException(evaluate ? "--evaluate needs --data" : "--data goes with --evaluate");
        if (!evaluate && inputs.isEmpty()) throw new IllegalArgumentException("give the files to explain (or --evaluate --data DATA)");
        try (Explainer e = Explainer.load(model)) {
            e.classIndex(classOrTop);   // an unknown label fails before any file is read
            e.layer(layer);
            if (evaluate) return evaluate(e);
            Explainer.ExplainRun run = e.explainEach(inputs, methods, classOrTop, out, dicomOut, bar(inputs));
            PredictCommand.reportSkipped(run.inputs().skipped(), verbose, System.err);
            if (run.rows().isEmpty()) System.err.println("medmamba: no image files found in " + inputs);
            List<SavedExplanation> rows = new ArrayList<>();
            List<Path> notDicom = new ArrayList<>();
            int failures = 0;
            for (Explainer.ExplainedFile f : run.rows()) {
                if (!f.ok()) {
                    System.err.println("medmamba: " + f.error());
                    failures++;
                    continue;
                }
                rows.addAll(f.maps());
                if (dicomOut && f.maps().stream().allMatch(r -> r.dicom() == null)) notDicom.add(f.file());
            }
            if (!notDicom.isEmpty())
                System.err.println("medmamba: --dicom-out: " + (notDicom.size() == 1 ? notDicom.getFirst() + " is" : notDicom.size() + " inputs are")
                        + " not DICOM; no Secondary Capture written for " + (notDicom.size() == 1 ? "it" : "them (first: " + notDicom.getFirst() + ")"));
            if (json) System.out.println(json(rows));
            else for (SavedExplanation r : rows) {
                Explanation x = r.explanation();
                System.out.printf(Locale.ROOT, "%s%s  %s  %s  %.4f  %s%s%n", r.file(), r.frame() >= 0 ? " [frame " + r.frame() + "]" : "",
                        x.method(), x.label(), x.probability(), r.png(), r.dicom() != null ? "  " + r.dicom() : "");
            }
            return failures > 0 || run.rows().isEmpty() ? 1 : 0;
        }
    }

    /** A bar over the files on a terminal only (a log gets the result lines); none for a single file. */
    private static Progress bar(List<Path> inputs) {
        if (inputs.size() < 2 && !java.nio.file.Files.isDirectory(inputs.getFirst())) return Progress.NONE;
        return ProgressBar.stderrTerminalOnly("explaining", "file").asProgress();
    }

    private int evaluate(Explainer e) throws IOException {
        List<Explainer.Faithfulness> rows = e.evaluate(org.medmamba.api.DataSource.of(data), split, limit, methods, steps,
                EvaluateCommand.bar("explaining"));
        ObjectMapper m = new ObjectMapper();
        ArrayNode arr = m.createArrayNode();
        for (Explainer.Faithfulness f : rows)
            arr.addObject().put("method", f.method()).put("images", f.images()).put("deletion_auc", f.deletionAuc()).put("insertion_auc", f.insertionAuc());
        String text = m.writeValueAsString(arr);
        java.nio.file.Files.createDirectories(out);
        org.medmamba.io.AtomicFiles.write(out.resolve("faithfulness.json"), o -> o.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (json) {
            System.out.println(text);
            return 0;
        }
        System.out.printf(Locale.ROOT, "faithfulness on %s (split %s, %d images, %d steps; deletion: lower is better, insertion: higher)%n",
                data, split, rows.getFirst().images(), steps);
        System.out.printf(Locale.ROOT, "  %-11s %13s %14s%n", "method", "deletion AUC", "insertion AUC");
        for (Explainer.Faithfulness f : rows)
            System.out.printf(Locale.ROOT, "  %-11s %13.4f %14.4f%n", f.method(), f.deletionAuc(), f.insertionAuc());
        System.out.println("  " + out.resolve("faithfulness.json"));
        return 0;
    }

    static String json(List<SavedExplanation> rows) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ArrayNode arr = m.createArrayNode();
        for (SavedExplanation r : rows) {
            Explanation x = r.explanation();
            var o = arr.addObject().put("file", r.file().toString());
            if (r.frame() >= 0) o.put("frame", r.frame());
            o.put("method", x.method()).put("class", x.classIndex()).put("label", x.label()).put("probability", x.probability())
                    .put("png", r.png().toString()).put("npy", r.npy().toString());
            if (r.dicom() != null) o.put("dicom", r.dicom().toString());
        }
        return m.writeValueAsString(arr);
    }
}
