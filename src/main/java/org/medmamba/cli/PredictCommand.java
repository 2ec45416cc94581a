package org.medmamba.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medmamba.data.Image;
import org.medmamba.data.ImageFiles;
import org.medmamba.eval.Predictor;
import org.medmamba.io.ModelBundle;
import org.medmamba.kernels.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba predict}: classify image files and folders with a model bundle. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify images (PNG, JPEG, BMP, GIF, TIFF, DICOM; folders are searched recursively) with a model bundle.",
                "Multi-frame DICOM files give one row per frame."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.mmb")
    Path model;

    @Option(names = "--json", description = "Print exactly one JSON array, in input order.")
    boolean json;

    @Option(names = "--batch-size", description = "Images per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize = 8;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR")
    List<Path> inputs;

    /** One prediction; frame is the 0-based frame of a multi-frame DICOM file, −1 otherwise. */
    record Row(String file, int frame, int classIndex, String label, float[] probs) {
        String name() {
            return frame < 0 ? file : file + " [frame " + frame + "]";
        }
    }

    record Input(Path file, int frame) {}

    @Override
    public Integer call() throws IOException {
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be >= 1");
        Parallel.setThreads(threads);
        Predictor predictor = new Predictor(ModelBundle.load(model));
        List<Path> files = ImageFiles.expand(inputs);
        List<Row> rows = new ArrayList<>();
        int failures = 0;
        List<Input> pendingInputs = new ArrayList<>();
        List<Image> pending = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            try {
                ImageFiles.Frames frames = ImageFiles.frames(f);
                for (int k = 0; k < frames.count(); k++) {
                    pending.add(predictor.prepare(frames.get(k)));
                    pendingInputs.add(new Input(f, frames.count() > 1 ? k : -1));
                    if (pending.size() == batchSize) flush(predictor, pending, pendingInputs, rows);
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("medmamba: " + (e.getMessage() != null && e.getMessage().startsWith(f.toString()) ? e.getMessage() : f + ": " + e.getMessage()));
                failures++;
            }
        }
        flush(predictor, pending, pendingInputs, rows);
        if (files.isEmpty()) System.err.println("medmamba: no image files found in " + inputs);
        print(rows);
        return failures > 0 || files.isEmpty() ? 1 : 0;
    }

    private static void flush(Predictor predictor, List<Image> pending, List<Input> inputs, List<Row> rows) {
        if (pending.isEmpty()) return;
        float[][] probs = predictor.predict(pending);
        for (int j = 0; j < probs.length; j++) {
            int k = Predictor.argmax(probs[j]);
            rows.add(new Row(inputs.get(j).file().toString(), inputs.get(j).frame(), k, predictor.bundle().labels().get(k), probs[j]));
        }
        pending.clear();
        inputs.clear();
    }

    private void print(List<Row> rows) throws IOException {
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ArrayNode arr = m.createArrayNode();
            for (Row r : rows) {
                ObjectNode o = arr.addObject();
                o.put("file", r.file);
                if (r.frame >= 0) o.put("frame", r.frame);
                o.put("class_index", r.classIndex).put("label", r.label);
                ArrayNode p = o.putArray("probabilities");
                for (float v : r.probs) p.add(v);
            }
            System.out.println(m.writeValueAsString(arr));
            return;
        }
        int fw = Math.max(4, rows.stream().mapToInt(r -> r.name().length()).max().orElse(4));
        int lw = Math.max(5, rows.stream().mapToInt(r -> r.label.length()).max().orElse(5));
        System.out.printf(Locale.ROOT, "%-" + fw + "s  %-" + lw + "s  %s%n", "file", "label", "probability");
        for (Row r : rows)
            System.out.printf(Locale.ROOT, "%-" + fw + "s  %-" + lw + "s  %.4f%n", r.name(), r.label, r.probs[r.classIndex]);
    }
}
