package org.medmamba.api;

import org.medmamba.data.Dataset;
import org.medmamba.data.DatasetScan;
import org.medmamba.data.Datasets;
import org.medmamba.data.NpzDataset;
import org.medmamba.data.Sample;
import org.medmamba.data.Splitter;
import org.medmamba.data.transform.Augmentation;
import org.medmamba.data.transform.Preprocessing;
import org.medmamba.eval.Metrics;
import org.medmamba.io.FolderInUseException;
import org.medmamba.io.OutputPaths;
import org.medmamba.io.SettingException;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.train.Checkpoint;
import org.medmamba.train.TrainConfig;
import org.medmamba.train.TrainListener;
import org.medmamba.train.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Trains MedMamba on a dataset: everything {@code ./medmamba train} does, as a library call.
 * <pre>{@code
 * Training.Result r = Training.builder(DataSource.of(Path.of("data/")))
 *         .variant("tiny").imageSize(224).epochs(50)
 *         .runDir(Path.of("runs/exp1"))
 *         .run();
 * Path model = r.bestModel();
 * }</pre>
 * A run first decodes every image once (bad files stop it with a list, or are skipped), infers the
 * input channels (1 when every image is gray, else 3), refuses images smaller than the input
 * unless upsampling is allowed (MedMNIST is always enlarged), and, when the data has no val split,
 * holds out 10 % of the training groups, stratified by class. The test split is never touched.
 * Then it trains with the seed article's recipe (defaults below), writing
 * {@code metrics.jsonl}, {@code last.ckpt} and {@code best.mmb} into the run directory atomically;
 * {@link Builder#resume} continues a stopped run bit-identically, its settings read back from the
 * checkpoint, or extends it to more epochs. A validation set too small to select on
 * ({@link Splitter#tooSmallToSelect}) makes best.mmb the last epoch's model unless selectBy is given. Every setting is checked before
 * the run directory is made; it may not be or lie inside the data folder. The run holds
 * RUN_DIR/.lock: a second run into the same directory is refused with the holder's PID.
 */
public final class Training {
    private Training() {}

    /** A builder with the recipe's defaults; only the data is required. */
    public static Builder builder(DataSource data) {
        return new Builder(data);
    }

    /**
     * What a finished run gives.
     *
     * @param train what the trainer reports: epochs done, best epoch and its validation value, time
     */
    public record Result(Path runDir, Path bestModel, Path lastCheckpoint, Path metrics, TrainConfig config,
                         int trainImages, int valImages, Trainer.Result train) {}

    /** The options of one run. Setters return this; {@link #run()} may be called once. */
    public static final class Builder {
        private final DataSource data;
        // null = not given: the default, or on resume the checkpoint's value
        private String variant;
        private int[] depths, dims;
        private Integer dState;
        private Integer inChans;
        private Integer imageHeight, imageWidth;
        private Integer epochs, batchSize, accumulate, earlyStop;
        private Double lr, weightDecay, warmupEpochs, dropPath, labelSmoothing;
        private String classWeights, selectBy;
        private Long seed;
        private Path runDir;
        private boolean resume;
        private Boolean upsample;
        private Augmentation augmentation;
        private Integer threads;
        private int workers = Runtime.getRuntime().availableProcessors();
        private DatasetScan.OnBadFile onBadFile = DatasetScan.OnBadFile.FAIL;
        private float[] mean, std;
        private TrainListener listener = TrainListener.SILENT;

        private Builder(DataSource data) {
            this.data = Objects.requireNonNull(data, "data");
        }

        /** tiny (default), small or base; ignored when depths and dims are given. */
        public Builder variant(String v) { variant = Objects.requireNonNull(v); return this; }
        /** A custom network: blocks per stage and channels per stage (both, four values each). */
        public Builder network(int[] depths, int[] dims) { this.depths = depths; this.dims = dims; return this; }
        /** SSM state size of a custom network (default 16). */
        public Builder dState(int n) { dState = n; return this; }
        /** Input channels; default: 1 when every image is gray, else 3. */
        public Builder inChans(Integer c) { inChans = c; return this; }
        public Builder imageSize(int side) { return imageSize(side, side); }
        /** Input size, multiples of 32 (default 224x224). */
        public Builder imageSize(int height, int width) { imageHeight = height; imageWidth = width; return this; }
        public Builder epochs(int n) { epochs = n; return this; }
        public Builder batchSize(int n) { batchSize = n; return this; }
        /** Batches per optimizer step: the effective batch is batchSize x k. */
        public Builder accumulate(int k) { accumulate = k; return this; }
        /** Peak learning rate of AdamW (default 3e-4). */
        public Builder lr(double v) { lr = v; return this; }
        /** Decoupled weight decay (default 0.05); never on norms, biases, A_logs, Ds. */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder warmupEpochs(double v) { warmupEpochs = v; return this; }
        public Builder dropPath(double v) { dropPath = v; return this; }
        /** "none" (default), "auto" (inverse class frequency) or "w1,w2,...". */
        public Builder classWeights(String v) { classWeights = v; return this; }
        public Builder labelSmoothing(double v) { labelSmoothing = v; return this; }
        /** Fixes initialisation, order, augmentation and drop path. */
        public Builder seed(long v) { seed = v; return this; }
        /** Run directory (default runs/NAME-VARIANT-DATE). */
        public Builder runDir(Path dir) { runDir = dir; return this; }
        /**
         * Continue the run in the run directory where its last checkpoint left it, with the checkpoint's
         * settings: those not given are read back, a given one that differs is refused naming it, except
         * {@link #epochs}, which extends (or shortens, down to the epochs done) the run.
         */
        public Builder resume(boolean v) { resume = v; return this; }
        /** Stop after this many epochs without improvement; 0 (default) = never. */
        public Builder earlyStop(int epochs) { earlyStop = epochs; return this; }
        /**
         * Best-model metric on validation: "auc" (default), "accuracy", "loss", or "last" (best.mmb is the
         * last epoch's model). Not given and the validation set too small to select on
         * ({@link Splitter#tooSmallToSelect}), a new run uses "last" and says so.
         */
        public Builder selectBy(String v) { selectBy = v; return this; }
        /** Data loader threads (default: all cores). */
        public Builder workers(int n) { workers = n; return this; }
        /** Compute threads (default: all cores). */
        public Builder threads(int n) { threads = n; return this; }
        /** FAIL (default: list the bad files and stop) or SKIP (train without them). */
        public Builder onBadFile(DatasetScan.OnBadFile p) { onBadFile = Objects.requireNonNull(p); return this; }
        /** Allow images smaller than the input size (they are enlarged). */
        public Builder upsample(boolean v) { upsample = v; return this; }
        /** Normalisation per channel (default ImageNet's). */
        public Builder normalization(float[] mean, float[] std) { this.mean = mean; this.std = std; return this; }
        /** Train with the seed article's augmentations (default) or with evaluation preprocessing only. */
        public Builder augment(boolean v) { augmentation = v ? Augmentation.SEED : Augmentation.NONE; return this; }
        /** Train with these augmentations (default {@link Augmentation#SEED}). */
        public Builder augmentation(Augmentation a) { augmentation = Objects.requireNonNull(a); return this; }
        /** Progress, validation lines and messages; default silent. */
        public Builder listener(TrainListener l) { listener = Objects.requireNonNull(l); return this; }

        /** Checks the data, then trains; returns when the run has ended. */
        public Result run() throws MedMambaException {
            try {
                return runChecked();
            } catch (MedMambaException | SettingException e) {
                throw e;
            } catch (IOException e) {
                throw MedMambaException.of(data.path(), e);
            }
        }

        private Result runChecked() throws IOException {
            if (workers < 1) throw new SettingException("workers", "must be >= 1, got " + workers);
            if (threads != null && threads < 1) throw new SettingException("threads", "must be >= 1, got " + threads);
            if ((depths == null) != (dims == null)) throw new SettingException("depths", "and dims go together");
            if ((mean == null) != (std == null)) throw new SettingException("mean", "and std go together");
            Path path = data.path(), dataAbs = path.toAbsolutePath().normalize();
            Path lastFile = runDir == null ? null : runDir.resolve(Trainer.LAST);
            // on resume the checkpoint's settings fill in what was not given: a run continues as it was started
            Checkpoint head = resume && lastFile != null && Files.exists(lastFile) ? Checkpoint.load(lastFile, null, null) : null;
            Merge m = new Merge(head == null ? null : head.config(), lastFile);
            if (head != null && !head.config().data().equals(dataAbs.toString()))
                throw new SettingException("data", path + " contradicts the run's " + head.config().data() + " (" + lastFile + ")");
            String variant = this.variant;
            int[] depths = this.depths, dims = this.dims;
            Integer dState = this.dState;
            if (head != null) {
                TrainConfig run = head.config();
                boolean custom = run.variant().equals("custom");
                if (depths != null && !custom)
                    throw new SettingException("depths", ints(depths) + " contradicts the run's " + run.variant() + " variant (" + lastFile + ")");
                if (variant != null && custom)
                    throw new SettingException("variant", variant + " contradicts the run's custom network " + ints(run.depths())
                            + " / " + ints(run.dims()) + " (" + lastFile + ")");
                if (custom) {
                    depths = m.pick("depths", depths, null, run.depths(), Training::ints);
                    dims = m.pick("dims", dims, null, run.dims(), Training::ints);
                    dState = m.pick("dState", dState, 16, run.dState(), String::valueOf);
                } else {
                    variant = m.pick("variant", variant, "tiny", run.variant(), String::valueOf);
                }
            }
            if (variant == null) variant = "tiny";
            int st0 = dState == null ? 16 : dState;
            Integer inChans = m.pick("inChans", this.inChans, null, head == null ? null : head.config().inChans(), String::valueOf);
            int[] hw = imageHeight == null ? null : new int[]{imageHeight, imageWidth};
            if (head != null && hw != null && (hw[0] != head.config().imageHeight() || hw[1] != head.config().imageWidth()))
                throw new SettingException("imageSize", (hw[0] == hw[1] ? hw[0] + "" : hw[0] + "x" + hw[1]) + " contradicts the run's "
                        + head.config().imageHeight() + "x" + head.config().imageWidth() + " (" + lastFile + ")");
            if (hw == null) hw = head != null ? new int[]{head.config().imageHeight(), head.config().imageWidth()} : new int[]{224, 224};
            int imageHeight = hw[0], imageWidth = hw[1];
            int epochs;
            if (head == null) epochs = this.epochs == null ? 50 : this.epochs;
            else if (this.epochs == null) epochs = head.config().epochs();
            else if (this.epochs < head.epochsDone() && this.epochs >= 1)
                throw new SettingException("epochs", this.epochs + " is fewer than the " + head.epochsDone() + " epochs the run has done ("
                        + lastFile + ")");
            else epochs = this.epochs;
            TrainConfig run = head == null ? null : head.config();
            int batchSize = m.pick("batchSize", this.batchSize, 64, run == null ? null : run.batchSize(), String::valueOf);
            int accumulate = m.pick("accumulate", this.accumulate, 1, run == null ? null : run.accumulate(), String::valueOf);
            double lr = m.pick("lr", this.lr, 3e-4, run == null ? null : run.lr(), String::valueOf);
            double weightDecay = m.pick("weightDecay", this.weightDecay, 0.05, run == null ? null : run.weightDecay(), String::valueOf);
            double warmupEpochs = m.pick("warmupEpochs", this.warmupEpochs, 1.0, run == null ? null : run.warmupEpochs(), String::valueOf);
            double dropPath = m.pick("dropPath", this.dropPath, 0.1, run == null ? null : run.dropPath(), String::valueOf);
            String classWeights = m.pick("classWeights", this.classWeights, "none", run == null ? null : run.classWeights(), String::valueOf);
            double labelSmoothing = m.pick("labelSmoothing", this.labelSmoothing, 0.0, run == null ? null : run.labelSmoothing(), String::valueOf);
            long seed = m.pick("seed", this.seed, 0L, run == null ? null : run.seed(), String::valueOf);
            int earlyStop = m.pick("earlyStop", this.earlyStop, 0, run == null ? null : run.earlyStop(), String::valueOf);
            String selectBy = m.pick("selectBy", this.selectBy, null, run == null ? null : run.selectBy(), String::valueOf);
            int threads = m.pick("threads", this.threads, Runtime.getRuntime().availableProcessors(), run == null ? null : run.threads(),
                    String::valueOf);
            boolean upsample = m.flag("upsample", this.upsample, false, run == null ? null : run.upsample(), "upsampling");
            float[] mean = m.pick("mean", this.mean, null, run == null ? null : run.mean(), Training::floats);
            float[] std = m.pick("std", this.std, null, run == null ? null : run.std(), Training::floats);
            Augmentation aug = this.augmentation;
            if (run != null && aug != null && !aug.equals(run.augmentation()))
                throw new SettingException("augment", "contradicts the run's training " + (run.augmentation().equals(Augmentation.NONE)
                        ? "without augmentation" : run.augmentation().equals(Augmentation.SEED) ? "with augmentation"
                        : "with augmentation " + run.augmentation()) + " (" + lastFile + ")");
            Augmentation augmentation = aug != null ? aug : run != null ? run.augmentation() : Augmentation.SEED;
            // every number is checked before the data is read or a folder made (the data fields come later)
            new TrainConfig(dataAbs.toString(), variant, depths, dims, st0, inChans == null ? 3 : inChans, imageHeight, imageWidth,
                    epochs, batchSize, accumulate, lr, weightDecay, warmupEpochs, dropPath, classWeights, labelSmoothing, seed, earlyStop,
                    selectBy == null ? "auc" : selectBy, threads, upsample, mean, std, Augmentation.NONE);
            if (runDir != null) OutputPaths.refuseInside("runDir", runDir, path);
            Dataset ds = data.open();
            listener.message(String.format(Locale.ROOT, "%s: %s, %d images, %d classes %s", path, Datasets.kind(ds),
                    ds.samples().size(), ds.classes().size(), ds.classes()));

            boolean npz = ds instanceof NpzDataset; // MedMNIST's 28-px images are meant to be enlarged
            DatasetScan.Checked checked = DatasetScan.check(ds, onBadFile, workers, listener::checking);
            listener.checked();
            if (checked.skipped() > 0) listener.message(String.format(Locale.ROOT, "skipping %d file(s) that do not decode", checked.skipped()));
            ds = checked.dataset();

            int chans = inChans != null ? inChans : (checked.result().channels().keySet().stream().allMatch(c -> c == 1) ? 1 : 3);
            boolean enlarge = upsample || npz;
            for (DatasetScan.Size s : checked.result().sizes().keySet())
                if ((s.height() < imageHeight || s.width() < imageWidth) && !enlarge)
                    throw new SettingException("upsample", "is off but " + path + " has images of " + s + ", smaller than the "
                            + imageHeight + "x" + imageWidth + " input; turn it on to enlarge them, or choose a smaller image size");

            List<Sample> pool = new ArrayList<>(), val = new ArrayList<>();
            for (Sample s : ds.samples()) {
                if (s.split().equals("val")) val.add(s);
                else if (!s.split().equals("test")) pool.add(s);
            }
            List<Sample> train = pool;
            if (val.isEmpty()) {
                List<Sample> split = Splitter.split(pool, ds.classes().size(), 0.1, 0, seed, Sample::group);
                train = split.stream().filter(s -> s.split().equals("train")).toList();
                val = split.stream().filter(s -> s.split().equals("val")).toList();
                listener.message(String.format(Locale.ROOT, "no val split: validating on %d images of %d held-out groups (10%%, seed %d)",
                        val.size(), val.stream().map(Sample::group).distinct().count(), seed));
            }

            List<Sample> test = ds.samples().stream().filter(s -> s.split().equals("test")).toList();
            for (String w : Splitter.warnings(ds.classes(), val, test.isEmpty() ? null : test)) listener.message("warning: " + w);
            if (Splitter.tooSmallToSelect(val, ds.classes().size())) {
                if (selectBy == null) {
                    selectBy = "last";
                    listener.message("selecting by the last epoch instead: best.mmb will be the model after the final epoch");
                } else if (!selectBy.equals("last")) {
                    listener.message("selecting by validation " + selectBy + " as set, on too few images to trust the choice");
                }
            }
            if (selectBy == null) selectBy = "auc";

            MedMambaConfig base = depths != null ? null : MedMambaConfig.variant(variant, ds.classes().size(), chans);
            int[] dp = base != null ? base.depths() : depths, dm = base != null ? base.dims() : dims;
            int st = base != null ? base.dState() : st0;
            Preprocessing norm = mean != null
                    ? new Preprocessing(chans, imageHeight, imageWidth, mean, std, null)
                    : Preprocessing.imagenet(chans, imageHeight, imageWidth, null);
            TrainConfig cfg = new TrainConfig(dataAbs.toString(), base != null ? variant : "custom", dp, dm, st, chans, imageHeight, imageWidth,
                    epochs, batchSize, accumulate, lr, weightDecay, warmupEpochs, dropPath, classWeights, labelSmoothing, seed, earlyStop,
                    selectBy, threads, enlarge, norm.mean(), norm.std(), augmentation);
            cfg.model(ds.classes().size()); // validates depths/dims now, with a clear message
            Path dir = runDir != null ? runDir : Path.of("runs", dataAbs.getFileName() + "-" + cfg.variant() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            listener.message(String.format(Locale.ROOT, "training MedMamba-%s (%d in-channel%s, %dx%d) on %d images, validating on %d; run dir %s",
                    cfg.variant(), chans, chans == 1 ? "" : "s", imageHeight, imageWidth, train.size(), val.size(), dir));
            OutputPaths.refuseInside("runDir", dir, path);
            Trainer.Result r;
            try {
                r = new Trainer(cfg, ds, train, val, dir, workers, listener, Metrics::validationScore).run(resume);
            } catch (FolderInUseException e) {
                throw MedMambaException.of(e.folder(), e);
            }
            return new Result(dir, dir.resolve(Trainer.BEST), dir.resolve(Trainer.LAST), dir.resolve(Trainer.METRICS), cfg,
                    train.size(), val.size(), r);
        }
    }

    /** Given settings against the resumed run's: fills in those not given, refuses a contradiction naming the setting. */
    private record Merge(TrainConfig run, Path file) {
        <T> T pick(String setting, T given, T dflt, T ran, java.util.function.Function<T, String> show) {
            if (run == null) return given != null ? given : dflt;
            if (given == null) return ran;
            if (!Objects.deepEquals(given, ran))
                throw new SettingException(setting, show.apply(given) + " contradicts the run's " + show.apply(ran) + " (" + file + ")");
            return given;
        }

        boolean flag(String setting, Boolean given, boolean dflt, Boolean ran, String what) {
            if (run == null) return given != null ? given : dflt;
            if (given == null) return ran;
            if (given.booleanValue() != ran)
                throw new SettingException(setting, "contradicts the run's training " + (ran ? "with " : "without ") + what + " (" + file + ")");
            return given;
        }
    }

    private static String ints(int[] v) {
        return String.join(",", java.util.Arrays.stream(v).mapToObj(String::valueOf).toList());
    }

    private static String floats(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float f : v) sb.append(sb.isEmpty() ? "" : ",").append(f);
        return sb.toString();
    }
}
