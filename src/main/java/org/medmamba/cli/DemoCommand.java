package org.medmamba.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.medmamba.eval.report.Report;
import org.medmamba.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code medmamba demo}: the whole product on the embedded dataset (demo-data/, anatomical plane
 * of real head MR slices): train a small MedMamba, evaluate it on the held-out volume, write the
 * report, predict a few held-out images.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train, evaluate, report and predict on the embedded dataset, in about a minute.",
                "demo-data/ holds axial/coronal/sagittal slices of six real head MR volumes; the test volume is held out."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data", description = "Demo dataset folder (default: demo-data next to the launcher).")
    Path data;
    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run directory (default runs/demo-DATE).")
    Path out;
    @Option(names = "--epochs", description = "Default ${DEFAULT-VALUE}.")
    int epochs = 20;
    @Option(names = "--threads", description = "Compute threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws IOException {
        Path ds = data != null ? data : Path.of(System.getProperty("medmamba.home", "."), "demo-data");
        if (!Files.isDirectory(ds.resolve("train"))) throw new IllegalArgumentException(ds + ": demo dataset not found (expected train/, val/, test/)");
        Path run = out != null ? out : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        String t = Integer.toString(threads);
        long t0 = System.nanoTime();
        step("1/3 training a small MedMamba (depths 1,1,2,1, dims 32-256, 64x64 gray) on " + ds.resolve("train"));
        int rc = Main.execute("train", "--data", ds.toString(), "--depths", "1,1,2,1", "--dims", "32,64,128,256", "--d-state", "8",
                "--image-size", "64", "--epochs", Integer.toString(epochs), "--batch-size", "32", "--lr", "1e-3", "--warmup-epochs", "1",
                "--seed", "0", "--threads", t, "--out", run.toString());
        if (rc != 0) return rc;
        Path best = run.resolve(Trainer.BEST), eval = run.resolve("eval-test");
        step("2/3 evaluating " + best + " on the held-out test volume");
        rc = Main.execute("evaluate", "--model", best.toString(), "--data", ds.toString(), "--split", "test", "--out", eval.toString(),
                "--threads", t);
        if (rc != 0) return rc;
        List<String> pick = heldOut(ds.resolve("test"));
        step("3/3 predicting " + pick.size() + " held-out images");
        List<String> args = new ArrayList<>(List.of("predict", "--model", best.toString(), "--threads", t));
        args.addAll(pick);
        rc = Main.execute(args.toArray(String[]::new));
        if (rc != 0) return rc;

        JsonNode m = new ObjectMapper().readTree(eval.resolve(Report.METRICS).toFile());
        System.out.printf(Locale.ROOT, "%ndemo finished in %s%n", ProgressBar.clock((System.nanoTime() - t0) / 1e9));
        System.out.printf(Locale.ROOT, "  test accuracy %s, balanced accuracy %s, macro AUC %s, macro F1 %s (%d images of one unseen volume)%n",
                num(m, "accuracy"), num(m, "balanced_accuracy"), num(m, "macro_auc"), num(m, "macro_f1"), m.path("samples").asInt());
        System.out.println("  report: " + eval.resolve(Report.HTML).toAbsolutePath());
        return 0;
    }

    /** Two test images per class: the slices at 1/3 and 2/3 of each class folder. */
    private static List<String> heldOut(Path test) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> classes = Files.list(test)) {
            for (Path c : classes.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> f = Files.list(c)) {
                    List<Path> files = f.sorted().toList();
                    if (files.isEmpty()) continue;
                    out.add(files.get(files.size() / 3).toString());
                    out.add(files.get(2 * files.size() / 3).toString());
                }
            }
        }
        return out;
    }

    private static String num(JsonNode m, String key) {
        JsonNode v = m.path(key);
        if (v.isObject()) v = v.path("value");
        return v.isNumber() ? String.format(Locale.ROOT, "%.3f", v.asDouble()) : "n/a";
    }

    private static void step(String s) {
        System.out.println("\n== " + s);
        System.out.flush();
    }
}
