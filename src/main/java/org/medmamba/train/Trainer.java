package org.medmamba.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.medmamba.autograd.Arith;
import org.medmamba.autograd.Losses;
import org.medmamba.autograd.Var;
import org.medmamba.data.Dataset;
import org.medmamba.data.Sample;
import org.medmamba.data.loader.Batch;
import org.medmamba.data.loader.DataLoader;
import org.medmamba.data.loader.Epoch;
import org.medmamba.data.transform.Preprocessing;
import org.medmamba.data.transform.Preprocessor;
import org.medmamba.io.AtomicFiles;
import org.medmamba.io.FolderLock;
import org.medmamba.io.SettingException;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.kernels.Parallel;
import org.medmamba.model.MedMamba;
import org.medmamba.tensor.LongTensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training run: AdamW with the recipe's weight-decay exemptions, warm-up + cosine schedule
 * per optimizer step, gradient accumulation, class weights and label smoothing, validation after
 * every epoch, RUN_DIR/last.ckpt and best.mmb written atomically, metrics.jsonl rewritten from the
 * checkpointed history. RUN_DIR/.lock is held for the whole run: a second run into the folder is
 * refused with the holder's PID; temporary files of killed writes are removed at the start, and a
 * resumed run rebuilds metrics.jsonl from the checkpoint when it lags. A resumed run restarts the interrupted epoch from the last checkpoint and
 * ends bit-identical to an uninterrupted one (same thread count). Resumed with another epoch count it is extended (or cut short):
 * the warm-up + cosine schedule is re-planned over the new total and followed from the current optimizer step.
 */
public final class Trainer {
    public static final String LAST = "last.ckpt", BEST = "best.mmb", METRICS = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainConfig cfg;
    private final Dataset dataset;
    private final List<String> classes;
    private final List<Sample> train, val;
    private final Path runDir;
    private final int workers;
    private final TrainListener listener;
    private final Validator validator;

    public Trainer(TrainConfig cfg, Dataset dataset, List<Sample> train, List<Sample> val, Path runDir, int workers,
                   TrainListener listener, Validator validator) {
        this.cfg = cfg;
        this.dataset = dataset;
        this.classes = dataset.classes();
        this.train = List.copyOf(train);
        this.val = List.copyOf(val);
        this.runDir = runDir;
        this.workers = workers;
        this.listener = listener;
        this.validator = validator;
        if (classes.size() < 2) throw new IllegalArgumentException("training needs at least 2 classes, the data has " + classes.size() + " " + classes);
        int[] counts = counts(train);
        for (int c = 0; c < counts.length; c++)
            if (counts[c] == 0) throw new IllegalArgumentException("class '" + classes.get(c) + "' has no training images");
        if (val.isEmpty()) throw new IllegalArgumentException("no validation images");
    }

    public record Result(int epochsDone, int bestEpoch, double bestValue, boolean stoppedEarly, double trainSeconds) {}

    /** Trains from scratch, or continues the run in runDir when resume is set. */
    public Result run(boolean resume) throws IOException {
        Parallel.setThreads(cfg.threads());
        // every setting is checked before the run folder is made or locked
        float[] weights = classWeights();
        Preprocessing trainPre = new Preprocessing(cfg.inChans(), cfg.imageHeight(), cfg.imageWidth(), cfg.mean(), cfg.std(), cfg.augmentation());
        try (FolderLock lock = FolderLock.of(runDir, "another run")) {
            int stale = AtomicFiles.removeStale(runDir, List.of(LAST, BEST, METRICS));
            if (stale > 0) listener.message("removed " + stale + " temporary file(s) left by killed writes in " + runDir);
            return runLocked(resume, weights, trainPre);
        }
    }

    private Result runLocked(boolean resume, float[] weights, Preprocessing trainPre) throws IOException {
        Path last = runDir.resolve(LAST);
        MedMamba model = new MedMamba(cfg.model(classes.size()), cfg.seed());
        AdamW opt = new AdamW(model.parameters(), WeightDecayRule.exempted(model.namedParameters()), (float) cfg.lr(),
                0.9f, 0.999f, 1e-8f, (float) cfg.weightDecay());
        int stepsPerEpoch = (batches(train.size()) + cfg.accumulate() - 1) / cfg.accumulate();
        LrSchedule schedule = new LrSchedule(cfg.lr(), 0, Math.round(cfg.warmupEpochs() * stepsPerEpoch), (long) cfg.epochs() * stepsPerEpoch);

        int startEpoch = 0;
        long optSteps = 0;
        List<EpochRecord> history = new ArrayList<>();
        double best = Double.NaN, bestLoss = Double.POSITIVE_INFINITY, seconds = 0;
        int bestEpoch = -1;
        if (Files.exists(last)) {
            Checkpoint head = Checkpoint.load(last, null, null);
            // a resumed run may be planned for another number of epochs; everything else must match
            TrainConfig was = resume ? head.config().withEpochs(cfg.epochs()) : head.config();
            if (!was.equals(cfg) && !was.toJson().equals(cfg.toJson()))
                throw new IllegalArgumentException(runDir + " belongs to another configuration (" + was.differences(cfg)
                        + "); choose another run directory");
            if (!head.classes().equals(classes))
                throw new IllegalArgumentException(runDir + " was trained on classes " + head.classes() + ", the data has " + classes);
            if (!resume)
                throw new IllegalArgumentException(runDir + " already holds a run (" + head.epochsDone() + " epochs); resume it or choose another run directory");
            if (cfg.epochs() < head.epochsDone())
                throw new SettingException("epochs", cfg.epochs() + " is fewer than the " + head.epochsDone() + " epochs " + runDir + " has done");
            Checkpoint c = Checkpoint.load(last, model, opt);
            startEpoch = c.epochsDone();
            optSteps = c.optimizerSteps();
            history.addAll(c.history());
            best = c.bestValue();
            bestEpoch = c.bestEpoch();
            bestLoss = bestEpoch > 0 ? c.history().get(bestEpoch - 1).valLoss() : bestLoss;
            seconds = c.trainSeconds();
            if (head.config().epochs() != cfg.epochs())
                // the schedule is a function of the planned total: re-planned over the new total from the current step
                listener.message("extending " + runDir + " from " + head.config().epochs() + " to " + cfg.epochs() + " epochs after epoch "
                        + startEpoch + ": the learning rate follows the " + cfg.epochs() + "-epoch cosine schedule from here");
            else listener.message("resuming " + runDir + " after epoch " + startEpoch + " of " + cfg.epochs());
            // a crash between last.ckpt and metrics.jsonl leaves the latter behind: the checkpoint is the truth
            byte[] want = historyBytes(history);
            Path metrics = runDir.resolve(METRICS);
            if (!Files.exists(metrics) || !java.util.Arrays.equals(Files.readAllBytes(metrics), want)) {
                AtomicFiles.write(metrics, out -> out.write(want));
                listener.message("rebuilt " + metrics + " from " + LAST + " (" + history.size() + " epochs)");
            }
        } else if (resume) {
            listener.message("nothing to resume in " + runDir + ": starting a new run");
        }

        Preprocessing evalPre = trainPre.withAugmentation(null);
        DataLoader trainLoader = new DataLoader(dataset, train, trainPre, cfg.batchSize(), true, false, cfg.seed(), workers, 4);
        DataLoader valLoader = new DataLoader(dataset, val, evalPre, cfg.batchSize(), false, false, cfg.seed(), workers, 4);
        boolean stoppedEarly = false;
        for (int epoch = startEpoch; epoch < cfg.epochs(); epoch++) {
            long t0 = System.nanoTime();
            model.train(true);
            double lossSum = 0;
            int images = 0, micro = 0;
            try (Epoch ep = trainLoader.epoch(epoch)) {
                int total = ep.images();
                listener.batch(epoch + 1, cfg.epochs(), 0, total, 0, Double.NaN);
                while (ep.hasNext()) {
                    Batch b = ep.next();
                    model.reseedTraining(Preprocessor.sampleSeed(cfg.seed(), epoch, 1_000_000_000L + b.number()));
                    long[] y = new long[b.size()];
                    for (int i = 0; i < y.length; i++) y[i] = b.labels()[i];
                    Var loss = Losses.crossEntropy(model.forward(Var.constant(b.tensor())), LongTensor.of(y), weights, (float) cfg.labelSmoothing());
                    float l = loss.value().item();
                    if (!Float.isFinite(l)) throw new IllegalStateException("the training loss became " + l + " at epoch " + (epoch + 1)
                            + " batch " + (b.number() + 1) + "; lower the learning rate");
                    (cfg.accumulate() == 1 ? loss : Arith.mulScalar(loss, 1f / cfg.accumulate())).backward();
                    micro++;
                    if (micro % cfg.accumulate() == 0 || !ep.hasNext()) {
                        opt.setLr((float) schedule.at(optSteps));
                        opt.step();
                        opt.zeroGrad();
                        optSteps++;
                    }
                    lossSum += (double) l * b.size();
                    images += b.size();
                    listener.batch(epoch + 1, cfg.epochs(), images, total, images / ((System.nanoTime() - t0) / 1e9), lossSum / images);
                }
            }
            listener.validating(epoch + 1, val.size());
            Validation v = validate(model, valLoader);
            double secs = (System.nanoTime() - t0) / 1e9;
            seconds += secs;
            EpochRecord rec = new EpochRecord(epoch + 1, lossSum / images, v.loss, v.score.accuracy(), v.score.macroAuc(), opt.lr(), secs);
            history.add(rec);
            double score = score(v);
            // ties on the selection metric (AUC saturates at 1 early) go to the lower validation loss
            boolean improved = cfg.selectBy().equals("last") || bestEpoch < 0 || better(score, best) || (score == best && v.loss < bestLoss);
            if (improved) {
                best = score;
                bestLoss = v.loss;
                bestEpoch = epoch + 1;
                bundle(model, rec, seconds).save(runDir.resolve(BEST));
            }
            new Checkpoint(cfg, classes, epoch + 1, optSteps, history, best, bestEpoch, seconds).save(last, model, opt);
            writeHistory(history);
            listener.epoch(rec, improved);
            if (cfg.earlyStop() > 0 && epoch + 1 - bestEpoch >= cfg.earlyStop() && epoch + 1 < cfg.epochs()) {
                listener.message("early stop: no improvement of validation " + cfg.selectBy() + " for " + cfg.earlyStop() + " epochs");
                stoppedEarly = true;
                break;
            }
        }
        return new Result(history.size(), bestEpoch, best, stoppedEarly, seconds);
    }

    record Validation(Validator.Score score, double loss) {}

    private Validation validate(MedMamba model, DataLoader loader) {
        model.train(false);
        LoaderPredictions p = LoaderPredictions.of(model, loader, done -> {});
        model.train(true);
        double loss = 0;
        for (int i = 0; i < p.truth().length; i++) loss -= Math.log(Math.max(p.probs()[i][p.truth()[i]], 1e-12f));
        return new Validation(validator.score(classes, p.truth(), p.probs()), loss / p.truth().length);
    }

    /** The selection value; for "last", AUC is what is reported. */
    private double score(Validation v) {
        return switch (cfg.selectBy()) {
            case "accuracy" -> v.score.accuracy();
            case "loss" -> v.loss;
            default -> Double.isNaN(v.score.macroAuc()) ? v.score.accuracy() : v.score.macroAuc();
        };
    }

    private boolean better(double score, double best) {
        return cfg.selectBy().equals("loss") ? score < best : score > best;
    }

    private ModelBundle bundle(MedMamba model, EpochRecord rec, double seconds) throws IOException {
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("source", "medmamba train");
        prov.put("date", Instant.now().toString());
        prov.put("data", cfg.data());
        prov.put("data_fingerprint", dataFingerprint());
        prov.put("software", org.medmamba.io.Software.describe());
        prov.put("commit", org.medmamba.io.Software.commit());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("epoch", rec.epoch());
        summary.put("epochs", cfg.epochs());
        summary.put("val_accuracy", rec.valAccuracy());
        summary.put("val_auc", Double.isNaN(rec.valAuc()) ? null : rec.valAuc());
        summary.put("val_loss", rec.valLoss());
        summary.put("train_images", train.size());
        summary.put("val_images", val.size());
        summary.put("train_seconds", seconds);
        summary.put("select_by", cfg.selectBy());
        prov.put("training", JSON.writeValueAsString(summary));
        prov.put("train_config", cfg.toJson());
        return new ModelBundle(model.config(), classes, cfg.imageHeight(), cfg.imageWidth(), cfg.mean(), cfg.std(), prov, model.stateDict());
    }

    private void writeHistory(List<EpochRecord> history) throws IOException {
        byte[] bytes = historyBytes(history);
        AtomicFiles.write(runDir.resolve(METRICS), out -> out.write(bytes));
    }

    private static byte[] historyBytes(List<EpochRecord> history) {
        StringBuilder sb = new StringBuilder();
        for (EpochRecord r : history) sb.append(r.toJson()).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private int batches(int n) {
        return (n + cfg.batchSize() - 1) / cfg.batchSize();
    }

    /**
     * "sha256:…" of the training and validation samples as sorted lines "split path frame label size":
     * the same data gives the same fingerprint on any machine with the same layout, and a changed,
     * added or removed file changes it. Computed once per run.
     */
    private String dataFingerprint() {
        if (fingerprint != null) return fingerprint;
        java.util.List<String> lines = new java.util.ArrayList<>();
        Path root = Path.of(cfg.data()).toAbsolutePath().normalize();
        for (List<Sample> part : List.of(train, val))
            for (Sample x : part) {
                Path f = x.file().toAbsolutePath().normalize();
                String rel = f.startsWith(root) ? root.relativize(f).toString() : f.getFileName().toString();
                long size;
                try {
                    size = java.nio.file.Files.size(f);
                } catch (IOException e) {
                    size = -1;
                }
                lines.add((part == train ? "train" : "val") + "\t" + rel.replace('\\', '/') + "\t" + x.index() + "\t" + x.label() + "\t" + size);
            }
        java.util.Collections.sort(lines);
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (String l : lines) md.update((l + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            fingerprint = "sha256:" + java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        return fingerprint;
    }

    private String fingerprint;

    private int[] counts(List<Sample> s) {
        int[] c = new int[classes.size()];
        for (Sample x : s) c[x.label()]++;
        return c;
    }

    /** Per-class loss weights: none, given, or inverse frequency n / (K·n_c) (scikit-learn's "balanced"). */
    float[] classWeights() {
        String w = cfg.classWeights();
        if (w.equals("none")) return null;
        int k = classes.size();
        if (w.equals("auto")) {
            int[] c = counts(train);
            float[] r = new float[k];
            for (int i = 0; i < k; i++) r[i] = (float) train.size() / (k * c[i]);
            return r;
        }
        String[] parts = w.split(",");
        if (parts.length != k) throw new SettingException("classWeights", "has " + parts.length + " values for " + k + " classes");
        float[] r = new float[k];
        for (int i = 0; i < k; i++) {
            r[i] = Float.parseFloat(parts[i].trim());
            if (!(r[i] > 0)) throw new SettingException("classWeights", "must be positive");
        }
        return r;
    }
}
