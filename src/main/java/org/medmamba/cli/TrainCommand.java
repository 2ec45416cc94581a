package org.medmamba.cli;

import org.medmamba.api.Training;
import org.medmamba.data.DatasetScan;
import org.medmamba.train.EpochRecord;
import org.medmamba.train.TrainListener;
import org.medmamba.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba train}: flags onto {@link Training}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train MedMamba on image folders, a CSV manifest or a MedMNIST .npz.",
                "Validation uses the data's val split, or 10%% of the training groups when it has none; the test split is never touched.",
                "Writes RUN_DIR/metrics.jsonl, RUN_DIR/last.ckpt and RUN_DIR/best.mmb (atomically)."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Image-folder root, manifest .csv or MedMNIST .npz.")
    Path data;
    @Mixin
    LabelTagOption labelTag = new LabelTagOption();

    // boxed with null defaults: on --resume an option not given is read from the run's checkpoint
    @Option(names = "--variant", description = "tiny, small or base (default tiny); --depths/--dims give a custom network.")
    String variant;
    @Option(names = "--depths", split = ",", description = "Custom blocks per stage, e.g. 1,1,2,1.")
    int[] depths;
    @Option(names = "--dims", split = ",", description = "Custom channels per stage, e.g. 32,64,128,256.")
    int[] dims;
    @Option(names = "--d-state", description = "SSM state size (default 16).")
    Integer dState;
    @Option(names = "--in-chans", description = "Input channels (default: 1 when every image is gray, else 3).")
    Integer inChans;
    @Option(names = "--image-size", description = "S or HxW, multiples of 32 (default 224).")
    String imageSize;
    @Option(names = "--epochs", description = "Default 50; with --resume, the run's total after extending it.")
    Integer epochs;
    @Option(names = "--batch-size", description = "Images per forward pass (default 64).")
    Integer batchSize;
    @Option(names = "--accumulate", description = "Batches per optimizer step; effective batch = batch size x K (default 1).")
    Integer accumulate;
    @Option(names = "--lr", description = "Peak learning rate (default 3e-4).")
    Double lr;
    @Option(names = "--weight-decay", description = "AdamW decoupled weight decay; none on norms, biases, A_logs, Ds (default 0.05).")
    Double weightDecay;
    @Option(names = "--warmup-epochs", description = "Linear warm-up before cosine annealing (default 1).")
    Double warmupEpochs;
    @Option(names = "--drop-path", description = "Stochastic depth rate (default 0.1).")
    Double dropPath;
    @Option(names = "--class-weights", description = "auto (inverse class frequency), none, or w1,w2,... (default none).")
    String classWeights;
    @Option(names = "--label-smoothing", description = "Default 0.")
    Double labelSmoothing;
    @Option(names = "--seed", description = "Fixes initialisation, order, augmentation and drop path (default 0).")
    Long seed;
    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run directory (default runs/NAME-VARIANT-DATE).")
    Path out;
    @Option(names = "--resume", description = {"Continue the run in RUN_DIR where its last checkpoint left it, with its settings:",
            "options left out are read from RUN_DIR/last.ckpt, one that differs is refused; --epochs N extends it to N epochs."})
    boolean resume;
    @Option(names = "--early-stop", paramLabel = "PATIENCE", description = "Stop after this many epochs without improvement (default: never).")
    Integer earlyStop;
    @Option(names = "--select-by", description = {"Best-model metric on validation: auc, accuracy, loss or last (the last epoch's model)",
            "(default auc; last when the validation set is too small to select on)."})
    String selectBy;
    @Option(names = "--workers", description = "Data loader threads (default: all cores).")
    int workers = Runtime.getRuntime().availableProcessors();
    @Mixin
    ThreadsOption threads = new ThreadsOption();
    @Option(names = "--on-bad-file", description = "fail (list them and stop) or skip (train without them) (default ${DEFAULT-VALUE}).")
    String onBadFile = "fail";
    @Option(names = "--upsample", description = "Allow images smaller than the input size (they are enlarged).")
    Boolean upsample;
    @Option(names = "--mean", split = ",", description = "Normalisation mean per channel (default ImageNet).")
    float[] mean;
    @Option(names = "--std", split = ",", description = "Normalisation std per channel (default ImageNet).")
    float[] std;
    @Option(names = "--no-augment", description = "Train without augmentation (evaluation preprocessing only).")
    Boolean noAugment;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!onBadFile.equals("fail") && !onBadFile.equals("skip")) throw new IllegalArgumentException("--on-bad-file must be fail or skip");
        Training.Builder b = Training.builder(labelTag.source(data)).runDir(out).resume(resume).workers(Math.max(1, workers))
                .onBadFile(onBadFile.equals("skip") ? DatasetScan.OnBadFile.SKIP : DatasetScan.OnBadFile.FAIL).listener(new Listener());
        // only what was given goes to the builder, so that a resumed run can tell it from a default
        if (imageSize != null) {
            int[] hw = ImageSizes.parse(imageSize);
            b.imageSize(hw[0], hw[1]);
        }
        if (variant != null) b.variant(variant);
        if (dState != null) b.dState(dState);
        if (inChans != null) b.inChans(inChans);
        if (epochs != null) b.epochs(epochs);
        if (batchSize != null) b.batchSize(batchSize);
        if (accumulate != null) b.accumulate(accumulate);
        if (lr != null) b.lr(lr);
        if (weightDecay != null) b.weightDecay(weightDecay);
        if (warmupEpochs != null) b.warmupEpochs(warmupEpochs);
        if (dropPath != null) b.dropPath(dropPath);
        if (classWeights != null) b.classWeights(classWeights);
        if (labelSmoothing != null) b.labelSmoothing(labelSmoothing);
        if (seed != null) b.seed(seed);
        if (earlyStop != null) b.earlyStop(earlyStop);
        if (selectBy != null) b.selectBy(selectBy);
        if (spec.commandLine().getParseResult().hasMatchedOption("--threads")) b.threads(threads.threads);
        if (upsample != null) b.upsample(upsample);
        if (noAugment != null) b.augment(!noAugment);
        if (depths != null || dims != null) b.network(depths, dims);
        if (mean != null || std != null) b.normalization(mean, std);
        printDone(b.run());
        return 0;
    }

    static void printDone(Training.Result r) {
        Trainer.Result t = r.train();
        String selectBy = r.config().selectBy();
        if (selectBy.equals("last")) {
            System.out.printf(Locale.ROOT, "done: %d epochs in %s; best.mmb is the last epoch's model (epoch %d)%n  %s%n  %s%n",
                    t.epochsDone(), ProgressBar.clock(t.trainSeconds()), t.bestEpoch(), r.bestModel(), r.metrics());
            return;
        }
        System.out.printf(Locale.ROOT, "done: %d epochs in %s; best epoch %d (validation %s %.4f)%n  %s%n  %s%n",
                t.epochsDone(), ProgressBar.clock(t.trainSeconds()), t.bestEpoch(), selectBy, t.bestValue(), r.bestModel(), r.metrics());
    }

    /** Progress bars for the dataset check and each epoch, then one line per epoch. */
    static final class Listener implements TrainListener {
        private ProgressBar bar, scanBar;
        private int barEpoch = -1;

        @Override
        public void checking(int done, int total) {
            if (scanBar == null) scanBar = ProgressBar.stderr("checking", "img");
            scanBar.update(done, total);
        }

        @Override
        public void checked() {
            if (scanBar != null) scanBar.finish();
        }

        @Override
        public void batch(int epoch, int epochs, int done, int total, double imagesPerS, double loss) {
            if (epoch != barEpoch) {
                bar = ProgressBar.stderrTerminalOnly(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), "img");
                barEpoch = epoch;
            }
            bar.update(done, total, Double.isNaN(loss) ? "" : String.format(Locale.ROOT, "loss %.4f", loss));
        }

        @Override
        public void validating(int epoch, int images) {
            if (bar != null) bar.finish();
        }

        @Override
        public void epoch(EpochRecord r, boolean improved) {
            Log.progress(String.format(Locale.ROOT, "epoch %d: train loss %.4f, val loss %.4f, val accuracy %.4f, val AUC %.4f, lr %.2e, %s%s",
                    r.epoch(), r.trainLoss(), r.valLoss(), r.valAccuracy(), r.valAuc(), r.lr(), ProgressBar.clock(r.seconds()),
                    improved ? "  * best, saved" : ""));
        }

        @Override
        public void message(String line) {
            if (Log.info() || line.toLowerCase(Locale.ROOT).startsWith("warning")) System.err.println(line);
        }
    }
}
