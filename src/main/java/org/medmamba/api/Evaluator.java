package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.data.Dataset;
import org.medmamba.data.Sample;
import org.medmamba.data.loader.DataLoader;
import org.medmamba.data.transform.Preprocessing;
import org.medmamba.eval.Metrics;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;
import org.medmamba.eval.report.Evaluation;
import org.medmamba.eval.report.Gallery;
import org.medmamba.eval.report.Plots;
import org.medmamba.explain.Explanations;
import org.medmamba.explain.Overlay;
import org.medmamba.eval.report.HtmlReport;
import org.medmamba.eval.report.Thumbnails;
import org.medmamba.eval.report.ModelCard;
import org.medmamba.eval.report.Report;
import org.medmamba.io.AtomicFolders;
import org.medmamba.io.FolderInUseException;
import org.medmamba.io.OutputPaths;
import org.medmamba.io.SettingException;
import org.medmamba.kernels.Parallel;
import org.medmamba.train.EpochRecord;
import org.medmamba.train.LoaderPredictions;
import org.medmamba.train.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Evaluates a model bundle on a dataset split: everything {@code ./medmamba evaluate} does.
 * <pre>{@code
 * Evaluator.Result r = Evaluator.builder(Path.of("runs/exp1/best.mmb"), DataSource.of(Path.of("data/")))
 *         .split("test").run();
 * double auc = r.metrics().macroAuc();
 * r.writeReport(Path.of("runs/exp1/eval-test"));   // metrics.json + report.html
 * }</pre>
 * The data's class names are mapped onto the model's labels (an unknown class is an error);
 * data without splits is evaluated whole unless a split is asked for (a split the data does not
 * have is an error naming the ones it has). Bootstrap confidence intervals are seeded.
 */
public final class Evaluator {
    private Evaluator() {}

    /** The gallery's methods unless told otherwise, each shown when this build has it. */
    public static final List<String> DEFAULT_GALLERY = List.of("gradcam", "ssm");

    public static Builder builder(Path model, DataSource data) {
        return new Builder(model, data);
    }

    /**
     * An evaluation's numbers and what is needed to write its report.
     *
     * @param split   the split evaluated: "train", "val", "test", or "all"
     * @param history the training run's epochs when the bundle came from {@code train} (for learning curves)
     * @param gallery per class the most confident right and wrong images with their overlays ({@link Gallery#NONE} when turned off)
     */
    public record Result(Path model, ModelBundle bundle, DataSource data, String split, Evaluation evaluation,
                         List<EpochRecord> history, Map<String, long[]> imagesPerSplit, Map<Integer, byte[]> thumbnails,
                         Gallery gallery) {
        public Metrics metrics() {
            return evaluation.metrics();
        }

        /**
         * Writes dir/metrics.json, dir/report.html and its PNG plots; returns the report's path. The
         * report is written into a temporary sibling folder and renamed into place, so a failure
         * leaves an old report whole. An existing dir is replaced only when it holds nothing but a
         * report; it may not be, hold or lie inside the model or the data.
         */
        public Path writeReport(Path dir) throws MedMambaException {
            checkReportDir(dir, model, data);
            ModelCard card = ModelCard.of(bundle, data.path().toString(), split, history, imagesPerSplit);
            try {
                AtomicFolders.replace(dir, Report::isReportFile, tmp -> Report.write(tmp, evaluation, card, history, thumbnails, gallery, Instant.now()));
            } catch (FolderInUseException e) {
                throw MedMambaException.of(e.folder(), e);
            } catch (IOException e) {
                throw MedMambaException.of(dir, e);
            }
            return dir.resolve(Report.HTML);
        }

        /** The report folder used when none is given: MODEL's folder/eval-SPLIT. */
        public Path defaultReportDir() {
            return model.toAbsolutePath().getParent().resolve("eval-" + split);
        }
    }

    /** Refuses a report folder that is, holds or lies inside the model or the data (it is replaced whole). */
    public static void checkReportDir(Path dir, Path model, DataSource data) {
        OutputPaths.refuseOverlap("reportDir", dir, model);
        OutputPaths.refuseOverlap("reportDir", dir, data.path());
    }

    public static final class Builder {
        private final Path model;
        private final DataSource data;
        private String split; // null: test, or all of data without splits
        private int batchSize = 32, workers = Runtime.getRuntime().availableProcessors(), threads = Runtime.getRuntime().availableProcessors();
        private long seed = 0;
        private Progress progress = Progress.NONE;
        private List<String> galleryMethods = DEFAULT_GALLERY.stream().filter(Explanations.METHODS::contains).toList();

        private Builder(Path model, DataSource data) {
            this.model = Objects.requireNonNull(model, "model");
            this.data = Objects.requireNonNull(data, "data");
        }

        /**
         * A split the data has ("train", "val", "test") or "all". When not given: "test", or every
         * image of data without splits; a split given but absent from the data is an error.
         */
        public Builder split(String s) { split = Objects.requireNonNull(s); return this; }
        public Builder batchSize(int n) { batchSize = n; return this; }
        /** Bootstrap seed (default 0). */
        public Builder seed(long s) { seed = s; return this; }
        public Builder workers(int n) { workers = n; return this; }
        public Builder threads(int n) { threads = n; return this; }
        /** Images done so far, and notes such as "data has no splits". */
        public Builder progress(Progress p) { progress = Objects.requireNonNull(p); return this; }
        /**
         * The explanation methods of the report's gallery (default: those of {@link #DEFAULT_GALLERY} this
         * build has); an empty list leaves the gallery out. An unknown method is a SettingException.
         */
        public Builder gallery(List<String> methods) {
            for (String m : methods)
                if (!Explanations.METHODS.contains(m))
                    throw new SettingException("gallery", "unknown method '" + m + "'; known: " + String.join(", ", Explanations.METHODS));
            galleryMethods = List.copyOf(methods);
            return this;
        }

        public Result run() throws MedMambaException {
            if (batchSize < 1) throw new SettingException("batchSize", "must be >= 1, got " + batchSize);
            if (workers < 1) throw new SettingException("workers", "must be >= 1, got " + workers);
            Parallel.setThreads(threads);
            ModelBundle bundle = Bundles.load(model);
            Dataset ds = data.open();
            List<String> labels = bundle.labels();
            int[] map = new int[ds.classes().size()];
            for (int c = 0; c < map.length; c++) {
                map[c] = labels.indexOf(ds.classes().get(c));
                if (map[c] < 0) throw new MedMambaException(data.path(), "class '" + ds.classes().get(c) + "' is not one of the model's labels " + labels, null);
            }
            Set<String> splits = new TreeSet<>();
            for (Sample s : ds.samples()) if (!s.split().isEmpty()) splits.add(s.split());
            String want = split != null ? split : "test";
            boolean all = want.equals("all") || (split == null && splits.isEmpty());
            if (!all && !splits.contains(want))
                throw new SettingException("split", "'" + want + "'" + (split == null ? " (the default)" : "") + " is not a split of " + data.path()
                        + ": " + (splits.isEmpty() ? "it has no splits" : "it has " + String.join(", ", splits)) + " (or use all)");
            List<Sample> samples = new ArrayList<>();
            for (Sample s : ds.samples())
                if (all || s.split().equals(want))
                    samples.add(new Sample(s.file(), s.index(), map[s.label()], s.split(), s.group()));
            String used = all ? "all" : want;
            if (all && !want.equals("all")) progress.message(data.path() + " has no splits: evaluating every image");
            if (samples.isEmpty()) throw new MedMambaException(data.path(), "no images in split '" + used + "'", null);

            // files holding several samples (DICOM frames, .npz rows) get their index as the frame
            Set<Path> seen = new HashSet<>(), shared = new HashSet<>();
            for (Sample s : samples) if (!seen.add(s.file())) shared.add(s.file());
            Map<String, long[]> perSplit = imagesPerSplit(ds, map, labels.size());

            Preprocessing pre = new Preprocessing(bundle.config().inChans(), bundle.imageHeight(), bundle.imageWidth(), bundle.mean(), bundle.std(), null);
            DataLoader loader = new DataLoader(ds, samples, pre, batchSize, false, false, 0, workers, 4);
            int n = samples.size();
            // a file that fails to decode stops the pass with an UncheckedIOException naming it
            LoaderPredictions p = LoaderPredictions.of(bundle.toModel(), loader, done -> progress.update(done, n));
            List<String> files = new ArrayList<>(n);
            int[] frames = new int[n];
            for (int j = 0; j < n; j++) {
                Sample s = samples.get(p.indices()[j]);
                files.add(relative(data.path(), s.file()));
                frames[j] = shared.contains(s.file()) ? s.index() : -1;
            }
            progress.done();
            Evaluation ev = Evaluation.compute(labels, p.truth(), p.probs(), files, frames, seed);
            Map<Integer, byte[]> thumbs = new LinkedHashMap<>();
            for (Evaluation.Mistake x : ev.confidentMistakes(HtmlReport.MISTAKES)) {
                try {
                    thumbs.put(x.sample(), Thumbnails.png(ds.load(samples.get(p.indices()[x.sample()]))));
                } catch (IOException | RuntimeException e) {
                    // it decoded a moment ago; a file changed since only loses its thumbnail
                }
            }
            Path runMetrics = model.toAbsolutePath().getParent().resolve(Trainer.METRICS);
            List<EpochRecord> history;
            try {
                history = "medmamba train".equals(bundle.provenance().get("source")) ? EpochRecord.readJsonl(runMetrics) : List.of();
            } catch (IOException e) {
                throw MedMambaException.of(runMetrics, e);
            }
            Gallery gallery = galleryMethods.isEmpty() ? Gallery.NONE : gallery(bundle, ds, samples, p.indices(), ev);
            return new Result(model, bundle, data, used, ev, history, perSplit, Map.copyOf(thumbs), gallery);
        }

        /** The gallery's overlays: each picked image explained for its predicted class (Grad-CAM on the last stage). */
        private Gallery gallery(ModelBundle bundle, Dataset ds, List<Sample> samples, int[] order, Evaluation ev) {
            Predictor pr = new Predictor(bundle);
            List<Gallery.Entry> entries = new ArrayList<>();
            for (Gallery.Pick pick : Gallery.picks(ev)) {
                Map<String, byte[]> overlays = new LinkedHashMap<>();
                Sample s = samples.get(order[pick.sample()]);
                try {
                    Image img = pr.prepare(ds.load(s));
                    for (String m : galleryMethods)
                        overlays.put(m, Plots.png(Overlay.render(img, Explanations.explain(pr, img, m, ev.predicted(pick.sample())))));
                } catch (IOException | RuntimeException e) {
                    // the report is still worth having without this picture; say so rather than hide it
                    progress.message("gallery: no overlay for " + ev.name(pick.sample()) + " (" + Failures.describe(e) + ")");
                }
                entries.add(new Gallery.Entry(pick, overlays));
            }
            return new Gallery(galleryMethods, entries);
        }

        /** Image count per class (model label order) for each split of the data; "all" for images without a split. */
        private static Map<String, long[]> imagesPerSplit(Dataset ds, int[] map, int classes) {
            Map<String, long[]> out = new LinkedHashMap<>();
            for (Sample s : ds.samples()) out.computeIfAbsent(s.split().isEmpty() ? "all" : s.split(), k -> new long[classes])[map[s.label()]]++;
            return out;
        }

        /** A sample's file relative to the data folder (no absolute path in a shared report), else its name as given. */
        private static String relative(Path root, Path file) {
            Path r = root.toAbsolutePath().normalize(), f = file.toAbsolutePath().normalize();
            if (Files.isDirectory(r) && f.startsWith(r) && !f.equals(r)) return r.relativize(f).toString();
            Path parent = r.getParent(); // a manifest or .npz file: relative to its folder
            return parent != null && f.startsWith(parent) && !f.equals(parent) ? parent.relativize(f).toString() : file.toString();
        }
    }
}
