package org.medmamba.cli;

import org.medmamba.api.Evaluator;
import org.medmamba.api.Progress;
import org.medmamba.eval.Metrics;
import org.medmamba.eval.report.Evaluation;
import org.medmamba.eval.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba evaluate}: flags onto {@link Evaluator}; prints the headline metrics. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a model bundle on a dataset split; writes metrics.json and report.html (the folder is replaced whole, or not at all).",
                "Accuracy, balanced accuracy, AUC, sensitivity, specificity, precision, F1, Cohen's kappa, confusion matrix,",
                "95%% bootstrap CIs, ROC curves, calibration, learning curves of the run."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.mmb")
    Path model;
    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Image-folder root, manifest .csv, MedMNIST .npz or DICOM folder.")
    Path data;
    @Mixin
    LabelTagOption labelTag = new LabelTagOption();
    @Option(names = "--split", description = "A split the data has (train, val, test) or all (default test; data without splits is evaluated whole).")
    String split;
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: MODEL's folder/eval-SPLIT).")
    Path out;
    @Option(names = "--batch-size", description = "Default ${DEFAULT-VALUE}.")
    int batchSize = 32;
    @Option(names = "--seed", description = "Bootstrap seed (default ${DEFAULT-VALUE}).")
    long seed = 0;
    @Option(names = "--workers", description = "Data loader threads (default: all cores).")
    int workers = Runtime.getRuntime().availableProcessors();
    @Option(names = "--gallery", split = ",", paramLabel = "M", description = {"Explanation methods of the report's gallery, or none",
            "(default: gradcam and ssm where available; docs/report.md)."})
    List<String> gallery;
    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException {
        if (out != null) Evaluator.checkReportDir(out, model, labelTag.source(data)); // before the evaluation's time is spent
        Evaluator.Builder b = Evaluator.builder(model, labelTag.source(data)).batchSize(batchSize).seed(seed)
                .workers(workers).threads(threads.threads).progress(bar("evaluating"));
        if (split != null) b.split(split);
        if (gallery != null) b.gallery(gallery.equals(List.of("none")) ? List.of() : gallery);
        Evaluator.Result r = b.run();
        Path dir = out != null ? out : r.defaultReportDir();
        Path html = r.writeReport(dir);
        print(r, html, dir);
        return 0;
    }

    /** A progress bar on stderr; notes as "medmamba: ..." lines. */
    static Progress bar(String what) {
        return ProgressBar.stderr(what, "img").asProgress();
    }

    static void print(Evaluator.Result r, Path html, Path dir) {
        Evaluation ev = r.evaluation();
        Metrics m = ev.metrics();
        System.out.printf(Locale.ROOT, "%s on %s (%s, %d images):%n", r.model().getFileName(), r.data().path(), r.split(), m.samples());
        System.out.printf(Locale.ROOT, "  accuracy %.4f (95%% CI %.4f-%.4f)  balanced accuracy %.4f  macro AUC %.4f (95%% CI %.4f-%.4f)%n",
                m.accuracy(), ev.accuracyCi().low(), ev.accuracyCi().high(), m.balancedAccuracy(), m.macroAuc(), ev.macroAucCi().low(), ev.macroAucCi().high());
        System.out.printf(Locale.ROOT, "  sensitivity %.4f  specificity %.4f  precision %.4f  F1 %.4f  kappa %.4f%n",
                m.macroSensitivity(), m.macroSpecificity(), m.macroPrecision(), m.macroF1(), m.kappa());
        System.out.println("  report: " + html);
        System.out.println("  metrics: " + dir.resolve(Report.METRICS));
    }
}
