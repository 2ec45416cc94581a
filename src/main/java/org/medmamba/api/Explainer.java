package org.medmamba.api;

import org.medmamba.bundle.ModelBundle;
import org.medmamba.data.ImageFiles;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;
import org.medmamba.explain.Explanation;
import org.medmamba.explain.Explanations;
import org.medmamba.explain.NpyWriter;
import org.medmamba.explain.Overlay;
import org.medmamba.io.SettingException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Why a model decided: explanation maps for single-image files, next to {@link Classifier}.
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
        return explainAll(file, List.of(method), classOrTop, null).getFirst().explanation();
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
     * Every method for one file, each written to {@code outDir/<name>.<method>.png} and {@code .npy}
     * (name: the file name without its extension). The image is read once.
     */
    public List<SavedExplanation> explainAndSave(Path file, List<String> methods, String classOrTop, Path outDir) throws MedMambaException {
        return explainAll(file, methods, classOrTop, Objects.requireNonNull(outDir, "outDir"));
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

    /** The stage Grad-CAM and Grad-CAM++ look at: 0..3, default 3 (the last, as in the Grad-CAM paper). */
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

    private synchronized List<SavedExplanation> explainAll(Path file, List<String> methods, String classOrTop, Path outDir) throws MedMambaException {
        Predictor p = predictor;
        if (p == null) throw new IllegalStateException(source + ": explainer is closed");
        checkMethods(methods);
        int wanted = classIndex(classOrTop);
        Image prepared;
        try {
            ImageFiles.Frames fr = ImageFiles.frames(file);
            if (fr.count() > 1) throw new MedMambaException(file, fr.count() + " frames; explain takes single-frame files", null);
            prepared = p.prepare(fr.get(0));
        } catch (MedMambaException e) {
            throw e;
        } catch (IOException e) {
            throw MedMambaException.of(file, e);
        }
        int k = wanted >= 0 ? wanted : Predictor.argmax(p.predict(List.of(prepared))[0]);
        List<SavedExplanation> out = new ArrayList<>(methods.size());
        for (String m : methods) {
            Explanation e = Explanations.explain(p, prepared, m, k, layer);
            Path png = null, npy = null;
            if (outDir != null) {
                String name = stem(file) + "." + m;
                png = outDir.resolve(name + ".png");
                npy = outDir.resolve(name + ".npy");
                try {
                    Overlay.write(png, prepared, e);
                    NpyWriter.write(npy, e);
                } catch (IOException x) {
                    throw MedMambaException.of(file, x);
                }
            }
            out.add(new SavedExplanation(file, e, png, npy));
        }
        return out;
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
