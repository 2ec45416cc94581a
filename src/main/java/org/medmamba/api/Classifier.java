package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.data.ImageFiles;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;
import org.medmamba.io.SettingException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A trained model, ready to classify images: the entry point for embedding MedMamba.
 * <pre>{@code
 * try (Classifier c = Classifier.load(Path.of("model.mmb"))) {
 *     Prediction p = c.predict(Path.of("scan.dcm"));
 *     System.out.println(p.label() + " " + p.probability());
 * }
 * }</pre>
 * Images are converted to the model's channels, resized to its input size and normalised as the
 * bundle says, exactly as {@code ./medmamba predict} does (same code, same batches, same numbers).
 * <p>Thread-safe: decoding runs in the calling thread; forward passes are taken one at a time
 * (each one already uses every core of the shared pool).
 */
public final class Classifier implements AutoCloseable {
    /** Images per forward pass unless told otherwise; the CLI's {@code predict --batch-size} default. */
    public static final int DEFAULT_BATCH = 8;

    private final Path source;
    private final ModelBundle bundle;
    private final int batchSize;
    private final ReentrantLock forward = new ReentrantLock();
    private volatile Predictor predictor;

    private Classifier(Path source, ModelBundle bundle, int batchSize) {
        this.source = source;
        this.bundle = bundle;
        this.batchSize = batchSize;
        this.predictor = new Predictor(bundle);
    }

    /** Loads a model bundle (.mmb, as {@code train} and {@code import-torch} write them). */
    public static Classifier load(Path bundle) throws MedMambaException {
        return load(bundle, DEFAULT_BATCH);
    }

    /** Loads a bundle; predictAll/predictEach run batchSize images per forward pass. */
    public static Classifier load(Path bundle, int batchSize) throws MedMambaException {
        Objects.requireNonNull(bundle, "bundle");
        if (batchSize < 1) throw new SettingException("batchSize", "must be >= 1, got " + batchSize);
        return new Classifier(bundle, Bundles.load(bundle), batchSize);
    }

    /** A classifier for a bundle already in memory (source names it in messages). */
    public static Classifier of(ModelBundle bundle, Path source) {
        return new Classifier(source, bundle, DEFAULT_BATCH);
    }

    /** Class labels in index order. */
    public List<String> labels() {
        return bundle.labels();
    }

    /** The bundle: architecture, input size, normalisation, provenance. */
    public ModelBundle bundle() {
        return bundle;
    }

    /** Where the bundle was loaded from. */
    public Path source() {
        return source;
    }

    /** Classifies one single-image file (PNG, JPEG, BMP, GIF, TIFF or single-frame DICOM). */
    public Prediction predict(Path file) throws MedMambaException {
        return predictAll(List.of(file)).getFirst();
    }

    /** Classifies every frame of a file (one for ordinary images), in frame order. */
    public List<Prediction> predictFrames(Path file) throws MedMambaException {
        List<Prediction> out = new ArrayList<>();
        for (FilePrediction r : run(List.of(file), true)) {
            if (!r.ok()) throw failure(r);
            out.add(r.prediction());
        }
        return out;
    }

    /** Classifies an image already in memory (8/16-bit gray, RGB, ARGB, indexed). */
    public Prediction predict(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        Predictor p = live();
        return toPredictions(forward(p, List.of(p.prepare(ImageFiles.fromBuffered(image))))).getFirst();
    }

    /**
     * Decodes a file already in memory (an upload: PNG, JPEG, BMP, GIF, TIFF or DICOM, every frame)
     * and prepares each frame for this model (channels, size), as {@link #predictEach} does;
     * {@code name} only names it in errors. Run the result with {@link #predictPrepared}, alone or
     * batched with others' (the HTTP service batches concurrent requests this way).
     */
    public List<Image> prepare(Path name, byte[] bytes) throws MedMambaException {
        Predictor p = live();
        try {
            ImageFiles.Frames fr = ImageFiles.frames(name, bytes);
            List<Image> out = new ArrayList<>(fr.count());
            for (int k = 0; k < fr.count(); k++) out.add(p.prepare(fr.get(k)));
            return out;
        } catch (IOException | RuntimeException e) {
            throw MedMambaException.of(name, e);
        } catch (OutOfMemoryError | StackOverflowError e) {
            throw new MedMambaException(name, Failures.describe(e), null);
        }
    }

    /** One forward pass over images from {@link #prepare}, in order. */
    public List<Prediction> predictPrepared(List<Image> prepared) {
        if (prepared.isEmpty()) return List.of();
        return toPredictions(forward(live(), prepared));
    }

    /**
     * Classifies single-image files, batched, in input order. The first file that cannot be read,
     * or that holds several frames (use {@link #predictFrames} or {@link #predictEach}), stops the
     * call with its name and the problem.
     */
    public List<Prediction> predictAll(List<Path> files) throws MedMambaException {
        List<Prediction> out = new ArrayList<>(files.size());
        for (FilePrediction r : run(files, false)) {
            if (!r.ok()) throw failure(r);
            out.add(r.prediction());
        }
        return out;
    }

    /**
     * What {@code ./medmamba predict} does: folders are searched recursively (image and DICOM files),
     * every frame of a multi-frame file is a row, and a file that cannot be read is a row with its
     * error while the others are still predicted. Throws only when an input cannot be listed.
     */
    public List<FilePrediction> predictEach(List<Path> filesOrFolders) throws MedMambaException {
        return run(expand(filesOrFolders), true);
    }

    /** The image and DICOM files a list of files and folders stands for, in order (folders sorted, recursively). */
    public static List<Path> expand(List<Path> filesOrFolders) throws MedMambaException {
        return inputs(filesOrFolders).files();
    }

    /** As {@link #expand}, with the files the folder search skipped and why. */
    public static InputFiles inputs(List<Path> filesOrFolders) throws MedMambaException {
        try {
            ImageFiles.Listing l = ImageFiles.list(filesOrFolders);
            return new InputFiles(l.files(), l.skipped().stream().map(k -> new InputFiles.Skipped(k.file(), k.reason())).toList());
        } catch (IOException e) {
            throw MedMambaException.of(filesOrFolders.size() == 1 ? filesOrFolders.getFirst() : Path.of(String.valueOf(filesOrFolders)), e);
        }
    }

    /** Releases the network; later calls throw IllegalStateException. */
    @Override
    public void close() {
        predictor = null;
    }

    private List<FilePrediction> run(List<Path> files, boolean frames) {
        Predictor p = live();
        List<FilePrediction> rows = new ArrayList<>();
        List<Image> pending = new ArrayList<>(batchSize);
        List<int[]> slots = new ArrayList<>(batchSize);   // {row, frame}
        List<Path> pendingFiles = new ArrayList<>(batchSize);
        for (Path f : files) {
            try {
                ImageFiles.Frames fr = ImageFiles.frames(f);
                if (!frames && fr.count() > 1)
                    throw new IOException(fr.count() + " frames; use predictFrames or predictEach for multi-frame files");
                for (int k = 0; k < fr.count(); k++) {
                    pending.add(p.prepare(fr.get(k)));
                    slots.add(new int[]{rows.size(), fr.count() > 1 ? k : -1});
                    pendingFiles.add(f);
                    rows.add(null);
                    if (pending.size() == batchSize) flush(p, pending, slots, pendingFiles, rows);
                }
            } catch (IOException | RuntimeException e) {
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
                rows.add(new FilePrediction(f, -1, null, msg.startsWith(f.toString()) ? msg : f + ": " + msg));
            } catch (OutOfMemoryError | StackOverflowError e) {
                // one input too big or too deep for this JVM: a failure of that input, the others go on
                rows.add(new FilePrediction(f, -1, null, f + ": " + Failures.describe(e)));
            }
        }
        flush(p, pending, slots, pendingFiles, rows);
        return rows;
    }

    private void flush(Predictor p, List<Image> pending, List<int[]> slots, List<Path> files, List<FilePrediction> rows) {
        if (pending.isEmpty()) return;
        List<Prediction> preds = toPredictions(forward(p, pending));
        for (int j = 0; j < preds.size(); j++)
            rows.set(slots.get(j)[0], new FilePrediction(files.get(j), slots.get(j)[1], preds.get(j), null));
        pending.clear();
        slots.clear();
        files.clear();
    }

    private float[][] forward(Predictor p, List<Image> prepared) {
        forward.lock();
        try {
            return p.predict(prepared);
        } finally {
            forward.unlock();
        }
    }

    private List<Prediction> toPredictions(float[][] probs) {
        List<Prediction> out = new ArrayList<>(probs.length);
        for (float[] row : probs) {
            int k = Predictor.argmax(row);
            out.add(new Prediction(bundle.labels().get(k), k, row));
        }
        return out;
    }

    private static MedMambaException failure(FilePrediction r) {
        String prefix = r.file() + ": ";
        return new MedMambaException(r.file(), r.error().startsWith(prefix) ? r.error().substring(prefix.length()) : r.error(), null);
    }

    private Predictor live() {
        Predictor p = predictor;
        if (p == null) throw new IllegalStateException(source + ": classifier is closed");
        return p;
    }
}
