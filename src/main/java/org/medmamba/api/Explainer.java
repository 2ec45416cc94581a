package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.data.ImageFiles;
import org.medmamba.data.dicom.DicomDataset;
import org.medmamba.data.dicom.DicomImages;
import org.medmamba.data.dicom.DicomReader;
import org.medmamba.data.dicom.DicomUids;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;
import org.medmamba.explain.Explanation;
import org.medmamba.explain.Explanations;
import org.medmamba.explain.NpyWriter;
import org.medmamba.explain.Overlay;
import org.medmamba.explain.ScanAttentionMap;
import org.medmamba.explain.SecondaryCapture;
import org.medmamba.io.SettingException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Why a model decided: explanation maps for image files (every frame of a multi-frame DICOM file), next to {@link Classifier}.
 * <pre>{@code
 * try (Explainer e = Explainer.load(Path.of("model.mmb"))) {
 *     Explanation x = e.explain(Path.of("scan.png"), "gradcam", "top");
 * }
 * }</pre>
 * Images are read and prepared exactly as {@code predict} prepares them (same code); maps are at
 * the model's input size. Methods: {@link Explanations#METHODS}. Calls are serialised (one
 * network, and the gradient methods record on it).
 */
public final class Explainer implements AutoCloseable {
    /** Series Number of the Secondary Captures: this + the method's position in the list (1, 2, …), so they sort after the source's series. */
    public static final int SERIES_NUMBER_BASE = 9000;
    /** {@code classOrTop} value that explains the most probable class. */
    public static final String TOP = "top";

    private final Path source;
    private final ModelBundle bundle;
    private volatile Predictor predictor;

    private Explainer(Path source, ModelBundle bundle) {
        this.source = source;
        this.bundle = bundle;
        this.predictor = new Predictor(bundle);
    }

    /** Loads a model bundle (.mmb). */
    public static Explainer load(Path bundle) throws MedMambaException {
        Objects.requireNonNull(bundle, "bundle");
        return new Explainer(bundle, Bundles.load(bundle));
    }

    /** An explainer for a bundle already in memory (source names it in messages). */
    public static Explainer of(ModelBundle bundle, Path source) {
        return new Explainer(source, bundle);
    }

    public List<String> labels() {
        return bundle.labels();
    }

    /**
     * One map for one single-image file. classOrTop is a label or {@value #TOP}; an unknown
     * label or method is a {@link SettingException} listing the known ones.
     */
    public Explanation explain(Path file, String method, String classOrTop) throws MedMambaException {
        return explainAll(file, List.of(method), classOrTop, null, false, true).getFirst().explanation();
    }

    /**
     * One map for an image already prepared for this model ({@link Classifier#prepare}, as the HTTP
     * service holds its uploads), for the class classOrTop names.
     */
    public synchronized Explanation explain(Image prepared, String method, String classOrTop) {
        Predictor p = predictor;
        if (p == null) throw new IllegalStateException(source + ": explainer is closed");
        checkMethods(List.of(method));
        int wanted = classIndex(classOrTop);
        int k = wanted >= 0 ? wanted : Predictor.argmax(p.predict(List.of(prepared))[0]);
        return Explanations.explain(p, prepared, method, k, layer);
    }

    /**
     * Every method for one file (every frame of a multi-frame DICOM file), each written to
     * {@code outDir/<name>.<method>.png} and {@code .npy} ({@link #outputName}; name: the file name
     * without its extension). The image is read once. {@code ssm} adds its per-direction maps after
     * its own, as methods {@code ssm.row}, {@code ssm.col}, {@code ssm.row-rev} and {@code ssm.col-rev}
     * (files {@code <name>.ssm.row.png}, …).
     */
    public List<SavedExplanation> explainAndSave(Path file, List<String> methods, String classOrTop, Path outDir) throws MedMambaException {
        return explainAndSave(file, methods, classOrTop, outDir, false);
    }

    /**
     * As {@link #explainAndSave(Path, List, String, Path)}; with dicomOut a DICOM input also gets each
     * overlay as a Secondary Capture {@code outDir/<name>.<method>.dcm} ({@link SecondaryCapture}: same
     * patient and study, one new series per method). Other inputs get no .dcm ({@link SavedExplanation#dicom} null).
     */
    public List<SavedExplanation> explainAndSave(Path file, List<String> methods, String classOrTop, Path outDir, boolean dicomOut)
            throws MedMambaException {
        return explainAll(file, methods, classOrTop, Objects.requireNonNull(outDir, "outDir"), dicomOut, false);
    }

    /** One input of {@link #explainEach}: its maps, or the one-line reason it could not be explained ("FILE: problem"). */
    public record ExplainedFile(Path file, List<SavedExplanation> maps, String error) {
        public ExplainedFile {
            if ((maps == null) == (error == null)) throw new IllegalArgumentException("exactly one of maps and error");
            if (maps != null) maps = List.copyOf(maps);
        }

        public boolean ok() {
            return maps != null;
        }
    }

    /** What {@link #explainEach} did: the inputs as listed (with the files the folder search skipped) and one row per file. */
    public record ExplainRun(InputFiles inputs, List<ExplainedFile> rows) {
        public ExplainRun {
            rows = List.copyOf(rows);
        }
    }

    /**
     * What {@code ./medmamba explain} does: files and folders as {@code predict} takes them (folders
     * searched recursively, {@link Classifier#inputs}), each file explained and saved as by
     * {@link #explainAndSave(Path, List, String, Path, boolean)}. A file found in a folder writes into
     * the same relative subfolder of outDir, so {@code a/IM1.dcm} and {@code b/IM1.dcm} do not
     * overwrite each other; two files named alike elsewhere (on the command line) would, so the second
     * is a row with that error. A file that fails is a row with its error and the others are still
     * explained. Methods and class are checked before the first file; throws only when an input
     * cannot be listed.
     */
    public ExplainRun explainEach(List<Path> filesOrFolders, List<String> methods, String classOrTop, Path outDir, boolean dicomOut,
                                  Progress progress) throws MedMambaException {
        checkMethods(methods);
        classIndex(classOrTop);
        Objects.requireNonNull(outDir, "outDir");
        List<Path> files = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        List<InputFiles.Skipped> skipped = new ArrayList<>();
        for (Path arg : filesOrFolders) {
            InputFiles in = Classifier.inputs(List.of(arg));
            skipped.addAll(in.skipped());
            for (Path f : in.files()) {
                files.add(f);
                Path rel = java.nio.file.Files.isDirectory(arg) && f.getParent() != null ? arg.relativize(f.getParent()) : Path.of("");
                dirs.add(rel.toString().isEmpty() ? outDir : outDir.resolve(rel));
            }
        }
        List<ExplainedFile> rows = new ArrayList<>(files.size());
        Map<Path, Path> written = new HashMap<>();   // output stem → the input that wrote it
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            Path earlier = written.putIfAbsent(dirs.get(i).resolve(stem(f)).toAbsolutePath().normalize(), f);
            if (earlier != null) {   // two inputs named alike on the command line: the second would overwrite the first's maps
                rows.add(new ExplainedFile(f, null, f + ": its maps would overwrite those of " + earlier + " (same name); explain it into another --out"));
                progress.update(rows.size(), files.size());
                continue;
            }
            try {
                rows.add(new ExplainedFile(f, explainAndSave(f, methods, classOrTop, dirs.get(i), dicomOut), null));
            } catch (MedMambaException e) {
                String msg = e.getMessage() == null ? f.toString() : e.getMessage().lines().findFirst().orElse(f.toString());
                rows.add(new ExplainedFile(f, null, msg.startsWith(f.toString()) ? msg : f + ": " + msg));
            }
            progress.update(rows.size(), files.size());
        }
        progress.done();
        return new ExplainRun(new InputFiles(files, skipped), rows);
    }

    /** Checks method names before any work, so a typo fails before the first file. */
    public static void checkMethods(List<String> methods) {
        if (methods.isEmpty()) throw new SettingException("method", "give at least one of " + String.join(", ", Explanations.METHODS));
        for (String m : methods)
            if (!Explanations.METHODS.contains(m))
                throw new SettingException("method", "unknown method '" + m + "'; known: " + String.join(", ", Explanations.METHODS));
    }

    /** The class index classOrTop names, or −1 for {@value #TOP}. */
    public int classIndex(String classOrTop) {
        if (classOrTop == null || classOrTop.equals(TOP)) return -1;
        int k = bundle.labels().indexOf(classOrTop);
        if (k < 0) throw new SettingException("class", "'" + classOrTop + "' is not a label of this model; labels: " + String.join(", ", bundle.labels()) + " (or " + TOP + ")");
        return k;
    }

    /** Mean deletion and insertion AUC of one method over the evaluated images. */
    public record Faithfulness(String method, int images, double deletionAuc, double insertionAuc) {}

    /**
     * Faithfulness of each method (and of a random map, the baseline) on the images of one split
     * of a dataset: deletion and insertion AUC ({@link org.medmamba.explain.Faithfulness}, {@code steps}
     * points per curve) of the map for the predicted class, averaged over at most {@code limit}
     * images (evenly spaced through the split, so every class is represented). What {@code explain --evaluate} runs.
     */
    public synchronized List<Faithfulness> evaluate(DataSource data, String split, int limit, List<String> methods, int steps,
                                                    Progress progress) throws MedMambaException {
        Predictor p = predictor;
        if (p == null) throw new IllegalStateException(source + ": explainer is closed");
        checkMethods(methods);
        if (limit < 1) throw new SettingException("limit", "must be >= 1");
        org.medmamba.data.Dataset ds = data.open();
        List<org.medmamba.data.Sample> samples = ds.samples().stream().filter(x -> split == null || x.split().equals(split)).toList();
        if (samples.isEmpty())
            throw new SettingException("split", "'" + split + "' has no images in " + data + " (splits: "
                    + ds.samples().stream().map(org.medmamba.data.Sample::split).distinct().sorted().toList() + ")");
        if (limit < samples.size()) {   // spread over the split (its order groups classes), not its first images
            List<org.medmamba.data.Sample> picked = new ArrayList<>(limit);
            for (int i = 0; i < limit; i++) picked.add(samples.get((int) ((long) i * samples.size() / limit)));
            samples = picked;
        }
        List<String> all = new ArrayList<>(methods);
        all.add("random");
        double[] del = new double[all.size()], ins = new double[all.size()];
        for (int i = 0; i < samples.size(); i++) {
            Image img;
            try {
                img = p.prepare(ds.load(samples.get(i)));
            } catch (IOException | RuntimeException e) {
                throw MedMambaException.of(samples.get(i).file(), e);
            }
            int k = Predictor.argmax(p.predict(List.of(img))[0]);
            Explanation first = null;
            for (int m = 0; m < all.size(); m++) {
                Explanation e = all.get(m).equals("random") ? org.medmamba.explain.Faithfulness.randomMap(first, i)
                        : Explanations.explain(p, img, all.get(m), k, layer);
                if (first == null) first = e;
                var s = org.medmamba.explain.Faithfulness.of(p, img, e, steps);
                del[m] += s.deletion() / samples.size();
                ins[m] += s.insertion() / samples.size();
            }
            progress.update(i + 1, samples.size());
        }
        progress.done();
        List<Faithfulness> out = new ArrayList<>();
        for (int m = 0; m < all.size(); m++) out.add(new Faithfulness(all.get(m), samples.size(), del[m], ins[m]));
        return out;
    }

    /** The stage Grad-CAM and Grad-CAM++ look at, and the first stage ssm rolls out to (from the last): 0..3, default 3 (the last, as in the Grad-CAM paper). */
    public synchronized Explainer layer(int stage) {
        if (stage < 0 || stage > 3) throw new SettingException("layer", "must be 0..3 (a stage of the network), got " + stage);
        this.layer = stage;
        return this;
    }

    private int layer = 3;

    @Override
    public void close() {
        predictor = null;
    }

    private synchronized List<SavedExplanation> explainAll(Path file, List<String> methods, String classOrTop, Path outDir,
                                                           boolean dicomOut, boolean singleFrame) throws MedMambaException {
        Predictor p = predictor;
        if (p == null) throw new IllegalStateException(source + ": explainer is closed");
        checkMethods(methods);
        int wanted = classIndex(classOrTop);
        List<SavedExplanation> out = new ArrayList<>();
        try {
            ImageFiles.Frames fr = ImageFiles.frames(file);
            if (singleFrame && fr.count() > 1)
                throw new MedMambaException(file, fr.count() + " frames; use explainAndSave or explainEach for multi-frame files", null);
            DicomDataset header = dicomOut && outDir != null && isDicom(file) ? DicomReader.readHeader(file).dataset() : null;
            // one new series per (source file, method): a viewer then stacks a multi-frame source's maps as one series
            Map<String, String> series = new HashMap<>();
            LocalDateTime now = LocalDateTime.now();
            for (int f = 0; f < fr.count(); f++) {
                Image prepared = p.prepare(fr.get(f));
                int frame = fr.count() > 1 ? f : -1;
                int k = wanted;   // for top, the first method that can choose the class from its own forward does (no extra pass)
                for (String m : methods) {
                    if (k < 0 && !Explanations.choosesTop(m)) k = Predictor.argmax(p.predict(List.of(prepared))[0]);
                    List<Explanation> maps = m.equals("ssm")   // ssm also gives its four per-direction maps (ssm.row, …)
                            ? ScanAttentionMap.explain(p, prepared, k, layer).all() : List.of(Explanations.explain(p, prepared, m, k, layer));
                    for (Explanation e : maps) {
                        k = e.classIndex();
                        Path png = null, npy = null, dcm = null;
                        if (outDir != null) {
                            String name = outputName(file, frame, e.method());
                            png = outDir.resolve(name + ".png");
                            npy = outDir.resolve(name + ".npy");
                            BufferedImage overlay = Overlay.render(prepared, e);
                            Overlay.writePng(png, overlay);
                            NpyWriter.write(npy, e);
                            if (header != null) {
                                dcm = outDir.resolve(name + ".dcm");
                                String uid = DicomUids.random();
                                SecondaryCapture.of(header, frame, overlay, e, series.computeIfAbsent(e.method(), x -> DicomUids.random()),
                                        SERIES_NUMBER_BASE + 1 + methods.indexOf(m), uid, f + 1, now)
                                        .write(dcm, SecondaryCapture.SOP_CLASS_UID, uid);
                            }
                        }
                        out.add(new SavedExplanation(file, frame, e, png, npy, dcm));
                    }
                }
            }
        } catch (MedMambaException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw MedMambaException.of(file, e);
        } catch (OutOfMemoryError | StackOverflowError e) {
            throw new MedMambaException(file, Failures.describe(e), null);
        }
        return out;
    }

    /**
     * The file name (no extension) of one map: {@code <name>.<method>}, or {@code <name>.f<frame>.<method>}
     * for frame (0-based, as {@code predict --json} numbers them) of a multi-frame file.
     */
    public static String outputName(Path file, int frame, String method) {
        return stem(file) + (frame >= 0 ? ".f" + frame : "") + "." + method;
    }

    private static boolean isDicom(Path file) {
        return !ImageFiles.isImage(file) && DicomImages.isDicom(file);
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
