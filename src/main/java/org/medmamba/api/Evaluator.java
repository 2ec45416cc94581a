package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.data.Dataset;
import org.medmamba.data.Sample;
import org.medmamba.data.loader.DataLoader;
import org.medmamba.data.transform.Preprocessing;
import org.medmamba.eval.Metrics;
import org.medmamba.eval.report.Evaluation;
import org.medmamba.eval.report.ModelCard;
import org.medmamba.eval.report.Report;
import org.medmamba.io.SettingException;
import org.medmamba.kernels.Parallel;
import org.medmamba.train.EpochRecord;
import org.medmamba.train.LoaderPredictions;
import org.medmamba.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Evaluates a model bundle on a dataset split: everything {@code ./medmamba evaluate} does.
 * <pre>{@code
 * Evaluator.Result r = Evaluator.builder(Path.of("runs/exp1/best.mmb"), DataSource.of(Path.of("data/")))
 *         .split("test").run();
 * double auc = r.metrics().macroAuc();
 * r.writeReport(Path.of("runs/exp1/eval-test"));   // metrics.json + report.html
 * }</pre>
 * The data's class names are mapped onto the model's labels (an unknown class is an error);
 * data without splits is evaluated whole. Bootstrap confidence intervals are seeded.
 */
public final class Evaluator {
    private Evaluator() {}

    public static Builder builder(Path model, DataSource data) {
        return new Builder(model, data);
    }

    /**
     * An evaluation's numbers and what is needed to write its report.
     *
     * @param split   the split evaluated: "train", "val", "test", or "all"
     * @param history the training run's epochs when the bundle came from {@code train} (for learning curves)
     */
    public record Result(Path model, ModelBundle bundle, DataSource data, String split, Evaluation evaluation,
                         List<EpochRecord> history) {
        public Metrics metrics() {
            return evaluation.metrics();
        }

        /** Writes dir/metrics.json, dir/report.html and its PNG plots (atomically); returns the report's path. */
        public Path writeReport(Path dir) throws MedMambaException {
            try {
                return Report.write(dir, evaluation, ModelCard.of(bundle, data.path().toString(), split, history), history);
            } catch (IOException e) {
                throw MedMambaException.of(dir, e);
            }
        }

        /** The report folder used when none is given: MODEL's folder/eval-SPLIT. */
        public Path defaultReportDir() {
            return model.toAbsolutePath().getParent().resolve("eval-" + split);
        }
    }

    public static final class Builder {
        private final Path model;
        private final DataSource data;
        private String split = "test";
        private int batchSize = 32, workers = Runtime.getRuntime().availableProcessors(), threads = Runtime.getRuntime().availableProcessors();
        private long seed = 0;
        private Progress progress = Progress.NONE;

        private Builder(Path model, DataSource data) {
            this.model = Objects.requireNonNull(model, "model");
            this.data = Objects.requireNonNull(data, "data");
        }

        /** "train", "val", "test" (default) or "all". */
        public Builder split(String s) { split = Objects.requireNonNull(s); return this; }
        public Builder batchSize(int n) { batchSize = n; return this; }
        /** Bootstrap seed (default 0). */
        public Builder seed(long s) { seed = s; return this; }
        public Builder workers(int n) { workers = n; return this; }
        public Builder threads(int n) { threads = n; return this; }
        /** Images done so far, and notes such as "data has no splits". */
        public Builder progress(Progress p) { progress = Objects.requireNonNull(p); return this; }

        public Result run() throws MedMambaException {
            if (batchSize < 1) throw new SettingException("batchSize", "must be >= 1, got " + batchSize);
            if (workers < 1) throw new SettingException("workers", "must be >= 1, got " + workers);
            if (!List.of("train", "val", "test", "all").contains(split))
                throw new SettingException("split", "must be train, val, test or all, got " + split);
            Parallel.setThreads(threads);
            ModelBundle bundle = Bundles.load(model);
            Dataset ds = data.open();
            List<String> labels = bundle.labels();
            int[] map = new int[ds.classes().size()];
            for (int c = 0; c < map.length; c++) {
                map[c] = labels.indexOf(ds.classes().get(c));
                if (map[c] < 0) throw new MedMambaException(data.path(), "class '" + ds.classes().get(c) + "' is not one of the model's labels " + labels, null);
            }
            boolean anySplit = ds.samples().stream().anyMatch(s -> !s.split().isEmpty());
            List<Sample> samples = new ArrayList<>();
            for (Sample s : ds.samples())
                if (split.equals("all") || !anySplit || s.split().equals(split))
                    samples.add(new Sample(s.file(), s.index(), map[s.label()], s.split(), s.group()));
            String used = split.equals("all") || !anySplit ? "all" : split;
            if (!anySplit && !split.equals("all")) progress.message(data.path() + " has no splits: evaluating every image");
            if (samples.isEmpty()) throw new MedMambaException(data.path(), "no images in split '" + split + "'", null);

            // files holding several samples (DICOM frames, .npz rows) are named FILE#INDEX in the report
            Set<Path> seen = new HashSet<>(), shared = new HashSet<>();
            for (Sample s : samples) if (!seen.add(s.file())) shared.add(s.file());

            Preprocessing pre = new Preprocessing(bundle.config().inChans(), bundle.imageHeight(), bundle.imageWidth(), bundle.mean(), bundle.std(), null);
            DataLoader loader = new DataLoader(ds, samples, pre, batchSize, false, false, 0, workers, 4);
            int n = samples.size();
            // a file that fails to decode stops the pass with an UncheckedIOException naming it
            LoaderPredictions p = LoaderPredictions.of(bundle.toModel(), loader, done -> progress.update(done, n));
            List<String> files = new ArrayList<>(n);
            for (int idx : p.indices()) {
                Sample s = samples.get(idx);
                files.add(s.file() + (shared.contains(s.file()) ? "#" + s.index() : ""));
            }
            progress.done();
            Evaluation ev = Evaluation.compute(labels, p.truth(), p.probs(), files, seed);
            Path runMetrics = model.toAbsolutePath().getParent().resolve(Trainer.METRICS);
            List<EpochRecord> history;
            try {
                history = "medmamba train".equals(bundle.provenance().get("source")) ? EpochRecord.readJsonl(runMetrics) : List.of();
            } catch (IOException e) {
                throw MedMambaException.of(runMetrics, e);
            }
            return new Result(model, bundle, data, used, ev, history);
        }
    }
}
