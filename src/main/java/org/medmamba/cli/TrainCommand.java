package org.medmamba.cli;

import org.medmamba.data.Dataset;
import org.medmamba.data.DatasetScan;
import org.medmamba.data.Datasets;
import org.medmamba.data.NpzDataset;
import org.medmamba.data.Sample;
import org.medmamba.data.Splitter;
import org.medmamba.data.transform.Augmentation;
import org.medmamba.data.transform.Preprocessing;
import org.medmamba.eval.Metrics;
import org.medmamba.eval.report.EpochRecord;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.train.TrainConfig;
import org.medmamba.train.TrainListener;
import org.medmamba.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba train}: train MedMamba on a dataset with the seed article's recipe. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train MedMamba on image folders, a CSV manifest or a MedMNIST .npz.",
                "Validation uses the data's val split, or 10%% of the training groups when it has none; the test split is never touched.",
                "Writes RUN_DIR/metrics.jsonl, RUN_DIR/last.ckpt and RUN_DIR/best.mmb (atomically)."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Image-folder root, manifest .csv or MedMNIST .npz.")
    Path data;
    @Option(names = "--label-tag", paramLabel = "TAG", description = "PATH is a folder of DICOM files labelled by this tag (keyword such as BodyPartExamined, or GGGG,EEEE).")
    String labelTag;

    @Option(names = "--variant", description = "tiny, small or base (default ${DEFAULT-VALUE}); --depths/--dims give a custom network.")
    String variant = "tiny";
    @Option(names = "--depths", split = ",", description = "Custom blocks per stage, e.g. 1,1,2,1.")
    int[] depths;
    @Option(names = "--dims", split = ",", description = "Custom channels per stage, e.g. 32,64,128,256.")
    int[] dims;
    @Option(names = "--d-state", description = "SSM state size (default ${DEFAULT-VALUE}).")
    int dState = 16;
    @Option(names = "--in-chans", description = "Input channels (default: 1 when every image is gray, else 3).")
    Integer inChans;
    @Option(names = "--image-size", description = "S or HxW, multiples of 32 (default ${DEFAULT-VALUE}).")
    String imageSize = "224";
    @Option(names = "--epochs", description = "Default ${DEFAULT-VALUE}.")
    int epochs = 50;
    @Option(names = "--batch-size", description = "Images per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize = 64;
    @Option(names = "--accumulate", description = "Batches per optimizer step; effective batch = batch size x K (default ${DEFAULT-VALUE}).")
    int accumulate = 1;
    @Option(names = "--lr", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
    double lr = 3e-4;
    @Option(names = "--weight-decay", description = "AdamW decoupled weight decay; none on norms, biases, A_logs, Ds (default ${DEFAULT-VALUE}).")
    double weightDecay = 0.05;
    @Option(names = "--warmup-epochs", description = "Linear warm-up before cosine annealing (default ${DEFAULT-VALUE}).")
    double warmupEpochs = 1;
    @Option(names = "--drop-path", description = "Stochastic depth rate (default ${DEFAULT-VALUE}).")
    double dropPath = 0.1;
    @Option(names = "--class-weights", description = "auto (inverse class frequency), none, or w1,w2,... (default ${DEFAULT-VALUE}).")
    String classWeights = "none";
    @Option(names = "--label-smoothing", description = "Default ${DEFAULT-VALUE}.")
    double labelSmoothing = 0;
    @Option(names = "--seed", description = "Fixes initialisation, order, augmentation and drop path (default ${DEFAULT-VALUE}).")
    long seed = 0;
    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run directory (default runs/NAME-VARIANT-DATE).")
    Path out;
    @Option(names = "--resume", description = "Continue the run in RUN_DIR exactly where its last checkpoint left it.")
    boolean resume;
    @Option(names = "--early-stop", paramLabel = "PATIENCE", description = "Stop after this many epochs without improvement (default: never).")
    int earlyStop = 0;
    @Option(names = "--select-by", description = "Best-model metric on validation: auc, accuracy or loss (default ${DEFAULT-VALUE}).")
    String selectBy = "auc";
    @Option(names = "--workers", description = "Data loader threads (default: all cores).")
    int workers = Runtime.getRuntime().availableProcessors();
    @Option(names = "--threads", description = "Compute threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--on-bad-file", description = "fail (list them and stop) or skip (train without them) (default ${DEFAULT-VALUE}).")
    String onBadFile = "fail";
    @Option(names = "--upsample", description = "Allow images smaller than the input size (they are enlarged).")
    boolean upsample;
    @Option(names = "--mean", split = ",", description = "Normalisation mean per channel (default ImageNet).")
    float[] mean;
    @Option(names = "--std", split = ",", description = "Normalisation std per channel (default ImageNet).")
    float[] std;
    @Option(names = "--no-augment", description = "Train without augmentation (evaluation preprocessing only).")
    boolean noAugment;

    @Override
    public Integer call() throws IOException {
        if (!onBadFile.equals("fail") && !onBadFile.equals("skip")) throw new IllegalArgumentException("--on-bad-file must be fail or skip");
        int[] hw = ImageSizes.parse(imageSize);
        Path dataAbs = data.toAbsolutePath().normalize();
        Dataset ds = Datasets.open(data, labelTag);
        System.err.printf(Locale.ROOT, "%s: %s, %d images, %d classes %s%n", data, Datasets.kind(ds), ds.samples().size(), ds.classes().size(), ds.classes());

        boolean npz = ds instanceof NpzDataset; // MedMNIST's 28-px images are meant to be enlarged
        ProgressBar scanBar = ProgressBar.stderr("checking", "img");
        DatasetScan.Checked checked = DatasetScan.check(ds, onBadFile.equals("skip") ? DatasetScan.OnBadFile.SKIP : DatasetScan.OnBadFile.FAIL,
                Math.max(1, workers), scanBar::update);
        scanBar.finish();
        if (checked.skipped() > 0) System.err.printf(Locale.ROOT, "skipping %d file(s) that do not decode%n", checked.skipped());
        ds = checked.dataset();

        int chans = inChans != null ? inChans : (checked.result().channels().keySet().stream().allMatch(c -> c == 1) ? 1 : 3);
        boolean enlarge = upsample || npz;
        for (DatasetScan.Size s : checked.result().sizes().keySet())
            if ((s.height() < hw[0] || s.width() < hw[1]) && !enlarge)
                throw new IllegalArgumentException(data + ": images of " + s + " are smaller than the " + hw[0] + "x" + hw[1]
                        + " input; pass --upsample to enlarge them or choose a smaller --image-size");

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
            System.err.printf(Locale.ROOT, "no val split: validating on %d images of %d held-out groups (10%%, seed %d)%n",
                    val.size(), val.stream().map(Sample::group).distinct().count(), seed);
        }

        MedMambaConfig base = depths != null || dims != null ? null : MedMambaConfig.variant(variant, ds.classes().size(), chans);
        if ((depths == null) != (dims == null)) throw new IllegalArgumentException("--depths and --dims go together");
        int[] dp = base != null ? base.depths() : depths, dm = base != null ? base.dims() : dims;
        int st = base != null ? base.dState() : dState;
        Preprocessing norm = mean != null || std != null
                ? new Preprocessing(chans, hw[0], hw[1], need(mean, "--mean"), need(std, "--std"), null)
                : Preprocessing.imagenet(chans, hw[0], hw[1], null);
        TrainConfig cfg = new TrainConfig(dataAbs.toString(), base != null ? variant : "custom", dp, dm, st, chans, hw[0], hw[1], epochs,
                batchSize, accumulate, lr, weightDecay, warmupEpochs, dropPath, classWeights, labelSmoothing, seed, earlyStop,
                selectBy, threads, enlarge, norm.mean(), norm.std(), noAugment ? Augmentation.NONE : Augmentation.SEED);
        cfg.model(ds.classes().size()); // validates depths/dims now, with a clear message
        Path runDir = out != null ? out : Path.of("runs", dataAbs.getFileName() + "-" + cfg.variant() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        System.err.printf(Locale.ROOT, "training MedMamba-%s (%d in-channel%s, %dx%d) on %d images, validating on %d; run dir %s%n",
                cfg.variant(), chans, chans == 1 ? "" : "s", hw[0], hw[1], train.size(), val.size(), runDir);

        Trainer.Result r = new Trainer(cfg, ds, train, val, runDir, workers, new Listener()).run(resume);
        System.out.printf(Locale.ROOT, "done: %d epochs in %s; best epoch %d (validation %s %.4f)%n  %s%n  %s%n",
                r.epochsDone(), ProgressBar.clock(r.trainSeconds()), r.bestEpoch(), selectBy, r.bestValue(),
                runDir.resolve(Trainer.BEST), runDir.resolve(Trainer.METRICS));
        return 0;
    }

    private static float[] need(float[] v, String name) {
        if (v == null) throw new IllegalArgumentException("--mean and --std go together (" + name + " missing)");
        return v;
    }

    /** Progress bar per epoch, then one summary line. */
    private static final class Listener implements TrainListener {
        private ProgressBar bar;
        private int barEpoch = -1;

        @Override
        public void batch(int epoch, int epochs, int done, int total, double imagesPerS, double loss) {
            if (epoch != barEpoch) {
                bar = ProgressBar.stderr(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), "img");
                barEpoch = epoch;
            }
            bar.update(done, total, Double.isNaN(loss) ? "" : String.format(Locale.ROOT, "loss %.4f", loss));
        }

        @Override
        public void validating(int epoch, int images) {
            if (bar != null) bar.finish();
        }

        @Override
        public void epoch(EpochRecord r, Metrics m, boolean improved) {
            System.err.printf(Locale.ROOT, "epoch %d: train loss %.4f, val loss %.4f, val accuracy %.4f, val AUC %.4f, lr %.2e, %s%s%n",
                    r.epoch(), r.trainLoss(), r.valLoss(), r.valAccuracy(), r.valAuc(), r.lr(), ProgressBar.clock(r.seconds()),
                    improved ? "  * best, saved" : "");
        }

        @Override
        public void message(String line) {
            System.err.println(line);
        }
    }
}
