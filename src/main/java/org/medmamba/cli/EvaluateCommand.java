package org.medmamba.cli;

import org.medmamba.data.Dataset;
import org.medmamba.data.Datasets;
import org.medmamba.data.Sample;
import org.medmamba.data.loader.DataLoader;
import org.medmamba.data.transform.Preprocessing;
import org.medmamba.eval.LoaderPredictions;
import org.medmamba.eval.Metrics;
import org.medmamba.eval.report.EpochRecord;
import org.medmamba.eval.report.Evaluation;
import org.medmamba.eval.report.ModelCard;
import org.medmamba.eval.report.Report;
import org.medmamba.io.ModelBundle;
import org.medmamba.kernels.Parallel;
import org.medmamba.model.MedMamba;
import org.medmamba.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba evaluate}: medical metrics, metrics.json and report.html for a model on a dataset split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a model bundle on a dataset split; writes metrics.json and report.html.",
                "Accuracy, balanced accuracy, AUC, sensitivity, specificity, precision, F1, Cohen's kappa, confusion matrix,",
                "95%% bootstrap CIs, ROC curves, calibration, learning curves of the run."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.mmb")
    Path model;
    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Image-folder root, manifest .csv, MedMNIST .npz or DICOM folder.")
    Path data;
    @Option(names = "--label-tag", paramLabel = "TAG", description = "PATH is a folder of DICOM files labelled by this tag.")
    String labelTag;
    @Option(names = "--split", description = "train, val, test, or all (default ${DEFAULT-VALUE}; data without splits is evaluated whole).")
    String split = "test";
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: MODEL's folder/eval-SPLIT).")
    Path out;
    @Option(names = "--batch-size", description = "Default ${DEFAULT-VALUE}.")
    int batchSize = 32;
    @Option(names = "--seed", description = "Bootstrap seed (default ${DEFAULT-VALUE}).")
    long seed = 0;
    @Option(names = "--workers", description = "Data loader threads (default: all cores).")
    int workers = Runtime.getRuntime().availableProcessors();
    @Option(names = "--threads", description = "Compute threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws IOException {
        Parallel.setThreads(threads);
        ModelBundle bundle = ModelBundle.load(model);
        Dataset ds = Datasets.open(data, labelTag);
        List<String> labels = bundle.labels();
        int[] map = new int[ds.classes().size()];
        for (int c = 0; c < map.length; c++) {
            map[c] = labels.indexOf(ds.classes().get(c));
            if (map[c] < 0) throw new IllegalArgumentException(data + ": class '" + ds.classes().get(c) + "' is not one of the model's labels " + labels);
        }
        boolean anySplit = ds.samples().stream().anyMatch(s -> !s.split().isEmpty());
        List<Sample> samples = new ArrayList<>();
        for (Sample s : ds.samples())
            if (split.equals("all") || !anySplit || s.split().equals(split))
                samples.add(new Sample(s.file(), s.index(), map[s.label()], s.split(), s.group()));
        String used = split.equals("all") || !anySplit ? "all" : split;
        if (!anySplit && !split.equals("all")) System.err.println("medmamba: " + data + " has no splits: evaluating every image");
        if (samples.isEmpty()) throw new IllegalArgumentException(data + ": no images in split '" + split + "'");

        // files holding several samples (DICOM frames, .npz rows) are named FILE#INDEX in the report
        java.util.Set<Path> seen = new java.util.HashSet<>(), shared = new java.util.HashSet<>();
        for (Sample s : samples) if (!seen.add(s.file())) shared.add(s.file());

        MedMamba net = bundle.toModel();
        Preprocessing pre = new Preprocessing(bundle.config().inChans(), bundle.imageHeight(), bundle.imageWidth(), bundle.mean(), bundle.std(), null);
        DataLoader loader = new DataLoader(ds, samples, pre, batchSize, false, false, 0, workers, 4);
        int n = samples.size();
        ProgressBar bar = ProgressBar.stderr("evaluating", "img");
        LoaderPredictions p = LoaderPredictions.of(net, loader, done -> bar.update(done, n));
        List<String> files = new ArrayList<>(n);
        for (int idx : p.indices()) {
            Sample s = samples.get(idx);
            files.add(s.file() + (shared.contains(s.file()) ? "#" + s.index() : ""));
        }
        bar.finish();

        Evaluation ev = Evaluation.compute(labels, p.truth(), p.probs(), files, seed);
        Path runMetrics = model.toAbsolutePath().getParent().resolve(Trainer.METRICS);
        List<EpochRecord> history = "medmamba train".equals(bundle.provenance().get("source")) ? EpochRecord.readJsonl(runMetrics) : List.of();
        Path dir = out != null ? out : model.toAbsolutePath().getParent().resolve("eval-" + used);
        Path html = Report.write(dir, ev, ModelCard.of(bundle, data.toString(), used, history), history);
        Metrics m = ev.metrics();
        System.out.printf(Locale.ROOT, "%s on %s (%s, %d images):%n", model.getFileName(), data, used, n);
        System.out.printf(Locale.ROOT, "  accuracy %.4f (95%% CI %.4f-%.4f)  balanced accuracy %.4f  macro AUC %.4f (95%% CI %.4f-%.4f)%n",
                m.accuracy(), ev.accuracyCi().low(), ev.accuracyCi().high(), m.balancedAccuracy(), m.macroAuc(), ev.macroAucCi().low(), ev.macroAucCi().high());
        System.out.printf(Locale.ROOT, "  sensitivity %.4f  specificity %.4f  precision %.4f  F1 %.4f  kappa %.4f%n",
                m.macroSensitivity(), m.macroSpecificity(), m.macroPrecision(), m.macroF1(), m.kappa());
        System.out.println("  report: " + html);
        System.out.println("  metrics: " + dir.resolve(Report.METRICS));
        return 0;
    }
}
