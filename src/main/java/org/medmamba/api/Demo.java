package org.medmamba.api;

import org.medmamba.data.transform.Augmentation;
import org.medmamba.eval.ClassMetrics;
import org.medmamba.eval.Metrics;
import org.medmamba.train.TrainListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The whole product on the embedded dataset (demo-data/: axial, coronal and sagittal slices of
 * eight real head MR volumes, split by volume): train a small MedMamba, evaluate it on the held-out
 * volume, write the report, classify a few held-out images. What {@code ./medmamba demo} runs,
 * made only of the public API calls ({@link Training}, {@link Evaluator}, {@link Classifier}).
 */
public final class Demo {
    /** The demo network: depths 1,1,2,1, dims 32..256, d_state 8, 64x64 gray. */
    public static final int[] DEPTHS = {1, 1, 2, 1}, DIMS = {32, 64, 128, 256};
    public static final int IMAGE_SIZE = 64, D_STATE = 8, DEFAULT_EPOCHS = 20;

    /**
     * The seed article's augmentations without the crop's aspect-ratio change (ratio 1 instead of
     * 3/4–4/3): a slice's plane shows in the head's outline — axial slices are taller than wide,
     * coronal and sagittal ones wider than tall — which the stretch blurs. Chosen on the validation
     * volume (best validation AUC 0.971 against 0.957 with the seed's ratio); over all eight
     * leave-one-volume-out splits neither is better on average (demo-data/DATASET.md).
     */
    public static final Augmentation AUGMENTATION = new Augmentation(0.7, 1.0, 1, 1, 0.5, 15, 0.1, 0.2, 0.1);

    private Demo() {}

    /** What the demo reports as it goes. */
    public interface Listener {
        /** A new step begins, e.g. "1/3 training ...". */
        default void step(String description) {}

        default TrainListener training() {
            return TrainListener.SILENT;
        }

        default Progress evaluating() {
            return Progress.NONE;
        }

        /** After step 1. */
        default void trained(Training.Result result) {}

        /** After step 2, with the report written. */
        default void evaluated(Evaluator.Result result, Path report) {}
    }

    public record Result(Training.Result training, Evaluator.Result evaluation, Path report, List<FilePrediction> predictions,
                         double seconds) {}

    /** Runs the three steps into runDir (a new folder); data is the demo dataset (train/, val/, test/). */
    public static Result run(Path data, Path runDir, int epochs, int threads, Listener listener) throws MedMambaException {
        Objects.requireNonNull(listener, "listener");
        if (!Files.isDirectory(data.resolve("train")))
            throw new MedMambaException(data, "demo dataset not found (expected train/, val/, test/)", null);
        long t0 = System.nanoTime();
        listener.step("1/3 training a small MedMamba (depths 1,1,2,1, dims 32-256, 64x64 gray) on " + data.resolve("train"));
        Training.Result tr = Training.builder(DataSource.of(data)).network(DEPTHS, DIMS).dState(D_STATE).imageSize(IMAGE_SIZE)
                .epochs(epochs).batchSize(32).lr(1e-3).warmupEpochs(1).augmentation(AUGMENTATION).seed(0).threads(threads).runDir(runDir)
                .listener(listener.training()).run();
        listener.trained(tr);
        Path eval = runDir.resolve("eval-test");
        listener.step("2/3 evaluating " + tr.bestModel() + " on the held-out test volume");
        Evaluator.Result ev = Evaluator.builder(tr.bestModel(), DataSource.of(data)).split("test").threads(threads)
                .progress(listener.evaluating()).run();
        Path report = ev.writeReport(eval);
        listener.evaluated(ev, report);
        List<Path> pick = heldOut(data.resolve("test"));
        listener.step("3/3 predicting " + pick.size() + " held-out images");
        List<FilePrediction> preds;
        try (Classifier c = Classifier.load(tr.bestModel())) {
            preds = c.predictEach(pick);
        }
        return new Result(tr, ev, report, preds, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Classes with test support whose sensitivity is below 0.5: a headline accuracy or AUC can look
     * fine while one class is never recognised, so the demo names them.
     */
    public static List<String> weakClasses(Metrics m) {
        return m.perClass().stream().filter(c -> c.support() > 0 && c.sensitivity() < 0.5).map(ClassMetrics::label).toList();
    }

    /** Two test images per class: the slices at 1/3 and 2/3 of each class folder. */
    static List<Path> heldOut(Path test) throws MedMambaException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> classes = Files.list(test)) {
            for (Path c : classes.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> f = Files.list(c)) {
                    List<Path> files = f.sorted().toList();
                    if (files.isEmpty()) continue;
                    out.add(files.get(files.size() / 3));
                    out.add(files.get(2 * files.size() / 3));
                }
            }
        } catch (IOException e) {
            throw MedMambaException.of(test, e);
        }
        return out;
    }
}
