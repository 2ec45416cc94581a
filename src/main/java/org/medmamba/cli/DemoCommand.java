package org.medmamba.cli;

import org.medmamba.api.Demo;
import org.medmamba.api.Evaluator;
import org.medmamba.api.Training;
import org.medmamba.api.FilePrediction;
import org.medmamba.api.Progress;
import org.medmamba.eval.ClassMetrics;
import org.medmamba.eval.Metrics;
import org.medmamba.train.TrainListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba demo}: runs {@link Demo} and prints each step's output and the headline metrics. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train, evaluate, report and predict on the embedded dataset, in about a minute.",
                "demo-data/ holds axial/coronal/sagittal slices of eight real head MR volumes; the test volume is held out."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data", description = "Demo dataset folder (default: demo-data next to the launcher).")
    Path data;
    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run directory (default runs/demo-DATE).")
    Path out;
    @Option(names = "--epochs", description = "Default ${DEFAULT-VALUE}.")
    int epochs = Demo.DEFAULT_EPOCHS;
    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException {
        Path ds = data != null ? data : Path.of(System.getProperty("medmamba.home", "."), "demo-data");
        Path run = out != null ? out : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Demo.Result r = Demo.run(ds, run, epochs, threads.threads, new Demo.Listener() {
            @Override
            public void step(String s) {
                System.out.println("\n== " + s);
                System.out.flush();
            }

            @Override
            public TrainListener training() {
                return new TrainCommand.Listener();
            }

            @Override
            public Progress evaluating() {
                return EvaluateCommand.bar("evaluating");
            }

            @Override
            public void trained(Training.Result t) {
                TrainCommand.printDone(t);
            }

            @Override
            public void evaluated(Evaluator.Result e, Path report) {
                EvaluateCommand.print(e, report, report.getParent());
            }
        });
        for (FilePrediction p : r.predictions()) if (!p.ok()) System.err.println("medmamba: " + p.error());
        PredictCommand.table(r.predictions().stream().filter(FilePrediction::ok).toList(),
                r.evaluation().metrics().perClass().stream().map(ClassMetrics::label).toList(), 1, System.out);

        Metrics m = r.evaluation().metrics();
        System.out.printf(Locale.ROOT, "%ndemo finished in %s%n", ProgressBar.clock(r.seconds()));
        System.out.printf(Locale.ROOT, "  test accuracy %.3f, balanced accuracy %.3f, macro AUC %.3f, macro F1 %.3f (%d images of one unseen volume)%n",
                m.accuracy(), m.balancedAccuracy(), m.macroAuc(), m.macroF1(), m.samples());
        StringBuilder per = new StringBuilder("  test sensitivity per class:");
        for (ClassMetrics c : m.perClass())
            per.append(String.format(Locale.ROOT, " %s %.2f (%d/%d)", c.label(), c.sensitivity(), Math.round(c.sensitivity() * c.support()), c.support()));
        System.out.println(per);
        List<String> weak = Demo.weakClasses(m);
        if (!weak.isEmpty())
            System.out.println("  warning: the model does not learn " + String.join(", ", weak) + " (test sensitivity below 0.5); see demo-data/DATASET.md");
        System.out.println("  report: " + r.report().toAbsolutePath());
        return r.predictions().stream().allMatch(FilePrediction::ok) ? 0 : 1;
    }
}
