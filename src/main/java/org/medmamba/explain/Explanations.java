package org.medmamba.explain;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Losses;
import org.medmamba.autograd.Var;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;
import org.medmamba.model.MedMamba;
import org.medmamba.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The explanation methods, on an image already prepared by {@link Predictor#prepare} (model
 * channels and size, samples in [0, 1]). Gradient methods run the network in eval mode with
 * gradients recorded (the fast inference path keeps no tape); occlusion runs the fast path.
 * Not thread-safe: callers serialise use of one predictor.
 */
public final class Explanations {
    /** The methods {@link #explain} knows, in the order the CLI lists them. */
    public static final List<String> METHODS = List.of("saliency", "smoothgrad", "ig", "gradcam", "gradcam++", "occlusion", "ssm");
    /** SmoothGrad's noisy copies and their noise, as a fraction of the input's value range (Smilkov et al. 2017: 10–20 %). */
    public static final int SMOOTHGRAD_SAMPLES = 16;
    public static final double SMOOTHGRAD_SIGMA = 0.15;
    /** Integrated gradients' Riemann steps (midpoint rule) from the baseline. */
    public static final int IG_STEPS = 32;
    /** Occluded copies per forward pass. */
    public static final int OCCLUSION_BATCH = 8;

    /**
     * Class index meaning "the most probable class", decided from the method's own forward pass, so
     * no separate prediction is run: accepted by the methods {@link #choosesTop} names.
     */
    public static final int TOP = -1;

    private Explanations() {}

    /** Whether {@link #explain} takes {@link #TOP} for this method (one forward, then one backward from the class chosen). */
    public static boolean choosesTop(String method) {
        return method.equals("saliency") || method.equals("gradcam") || method.equals("gradcam++");
    }

    /** Runs a method by name with its defaults (Grad-CAM: last stage; occlusion: see {@link #occlusion(Predictor, Image, int)}). */
    public static Explanation explain(Predictor p, Image prepared, String method, int classIndex) {
        return explain(p, prepared, method, classIndex, 3);
    }

    /**
     * As {@link #explain(Predictor, Image, String, int)}, Grad-CAM and Grad-CAM++ on {@code stage} (0..3),
     * ssm rolled out over stages stage..3; classIndex may be {@link #TOP} for the methods {@link #choosesTop} names.
     */
    public static Explanation explain(Predictor p, Image prepared, String method, int classIndex, int stage) {
        if (stage < 0 || stage > 3) throw new IllegalArgumentException("stage must be 0..3, got " + stage);
        return switch (method) {
            case "gradcam" -> gradCam(p, prepared, classIndex, stage);
            case "gradcam++" -> gradCamPlusPlus(p, prepared, classIndex, stage);
            case "saliency" -> saliency(p, prepared, classIndex);
            case "smoothgrad" -> smoothGrad(p, prepared, classIndex, SMOOTHGRAD_SAMPLES, SMOOTHGRAD_SIGMA, 0);
            case "ig" -> integratedGradients(p, prepared, classIndex, IG_STEPS);
            case "occlusion" -> occlusion(p, prepared, classIndex);
            case "ssm" -> ScanAttentionMap.explain(p, prepared, classIndex, stage).combined();   // stages stage..3 rolled out
            default -> throw new IllegalArgumentException("unknown method '" + method + "'; known: " + String.join(", ", METHODS));
        };
    }

    /**
     * |∂p_c/∂x| with x the normalised input the network sees, the maximum over channels at each
     * pixel. Not rescaled, so the numbers are the gradient itself.
     */
    public static Explanation saliency(Predictor p, Image prepared, int classIndex) {
        MedMamba m = p.model();
        int c = prepared.channels(), h = prepared.height(), w = prepared.width(), n = h * w;
        if (classIndex != TOP) checkClass(p, classIndex);
        Var x = Var.param(Tensor.of(normalised(p, prepared), 1, c, h, w));
        float prob;
        try (var g = GradMode.enableGrad(); var f = FrozenWeights.of(m)) {
            Var probs = Losses.softmax(m.forward(x));
            if (classIndex == TOP) classIndex = Predictor.argmax(probs.value().data());
            prob = probs.value().data()[classIndex];
            probs.backward(oneHot(probs.shape(), classIndex));
        } finally {
            zeroParamGrads(m);
        }
        float[] grad = x.grad().data(), map = new float[n];
        for (int k = 0; k < c; k++)
            for (int i = 0; i < n; i++) map[i] = Math.max(map[i], Math.abs(grad[k * n + i]));
        return new Explanation("saliency", classIndex, label(p, classIndex), prob, h, w, map);
    }

    /**
     * SmoothGrad (Smilkov et al., 2017): the mean of ∂p_c/∂x over {@code samples} copies of the
     * normalised input with Gaussian noise of σ = {@code sigma} × (max − min), then, as for
     * {@link #saliency}, its magnitude, the maximum over channels. The gradients are averaged
     * signed, as the paper defines the method: averaging |∂p_c/∂x| instead keeps a noise floor
     * that follows the image's contrast rather than the model (docs/explain.md). The copies run
     * as one batch. Seeded, so the same input gives the same map.
     */
    public static Explanation smoothGrad(Predictor p, Image prepared, int classIndex, int samples, double sigma, long seed) {
        if (samples < 1 || !(sigma >= 0)) throw new IllegalArgumentException("smoothgrad needs samples >= 1 and sigma >= 0");
        int c = prepared.channels(), h = prepared.height(), w = prepared.width(), n = h * w, len = c * n;
        checkClass(p, classIndex);
        float[] x = normalised(p, prepared);
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float v : x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        double s = sigma * (hi - lo);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] batch = new float[samples * len];
        for (int k = 0; k < samples; k++)
            for (int i = 0; i < len; i++) batch[k * len + i] = (float) (x[i] + s * r.nextGaussian());
        float[] grad = gradients(p, batch, samples, c, h, w, classIndex, null);
        float[] perChannel = new float[len];   // mean over the copies of ∂p/∂x (signed), then |·| and the maximum over channels as saliency does
        for (int k = 0; k < samples; k++)
            for (int i = 0; i < len; i++) perChannel[i] += grad[k * len + i] / samples;
        float[] map = new float[n];
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < n; i++) map[i] = Math.max(map[i], Math.abs(perChannel[ch * n + i]));
        return new Explanation("smoothgrad", classIndex, label(p, classIndex), probability(p, x, c, h, w, classIndex), h, w, map);
    }

    /**
     * Integrated gradients (Sundararajan et al., 2017) from the all-zero normalised input (the
     * normalisation mean, a flat gray image): (x − x')·mean of ∂p_c/∂x along the straight path
     * at the midpoints of {@code steps} intervals, summed over channels. Signed; the values add
     * up to about p_c(x) − p_c(x') (completeness; IntegratedGradientsTest checks it).
     */
    public static Explanation integratedGradients(Predictor p, Image prepared, int classIndex, int steps) {
        if (steps < 1) throw new IllegalArgumentException("ig needs steps >= 1");
        int c = prepared.channels(), h = prepared.height(), w = prepared.width(), n = h * w, len = c * n;
        checkClass(p, classIndex);
        float[] x = normalised(p, prepared);
        float[] map = new float[n];
        int perBatch = 8;
        for (int from = 0; from < steps; from += perBatch) {
            int b = Math.min(perBatch, steps - from);
            float[] batch = new float[b * len];
            for (int k = 0; k < b; k++) {
                float a = (float) ((from + k + 0.5) / steps);
                for (int i = 0; i < len; i++) batch[k * len + i] = a * x[i];
            }
            float[] grad = gradients(p, batch, b, c, h, w, classIndex, null);
            for (int k = 0; k < b; k++)
                for (int ch = 0; ch < c; ch++)
                    for (int i = 0; i < n; i++) map[i] += x[ch * n + i] * grad[k * len + ch * n + i] / steps;
        }
        return new Explanation("ig", classIndex, label(p, classIndex), probability(p, x, c, h, w, classIndex), h, w, map);
    }

    /** Channel weights of Grad-CAM (mean gradient) or Grad-CAM++ for activations and gradients laid out [cell][channel]. */
    static double[] camWeights(float[] av, float[] gv, int cells, int k, boolean plusPlus) {
        double[] weight = new double[k];
        if (!plusPlus) {
            for (int i = 0; i < cells; i++)
                for (int j = 0; j < k; j++) weight[j] += gv[i * k + j] / (double) cells;
            return weight;
        }
        double[] sumA = new double[k];
        for (int i = 0; i < cells; i++)
            for (int j = 0; j < k; j++) sumA[j] += av[i * k + j];
        for (int i = 0; i < cells; i++)
            for (int j = 0; j < k; j++) {
                double g1 = gv[i * k + j], g2 = g1 * g1, den = 2 * g2 + sumA[j] * g2 * g1;
                weight[j] += (den != 0 ? g2 / den : 0) * Math.max(0, g1);
            }
        return weight;
    }

    /** ∂p_c/∂x for each image of a batch (eval mode: the images do not interact), the weights' gradients cleared after. */
    static float[] gradients(Predictor p, float[] batch, int b, int c, int h, int w, int classIndex, float[] probsOut) {
        MedMamba m = p.model();
        Var x = Var.param(Tensor.of(batch, b, c, h, w));
        try (var g = GradMode.enableGrad(); var f = FrozenWeights.of(m)) {
            Var probs = Losses.softmax(m.forward(x));
            int classes = probs.shape()[1];
            Tensor seed = Tensor.zeros(probs.shape());
            for (int k = 0; k < b; k++) seed.storage()[k * classes + classIndex] = 1f;
            if (probsOut != null) System.arraycopy(probs.value().data(), 0, probsOut, 0, Math.min(probsOut.length, b * classes));
            probs.backward(seed);
        } finally {
            zeroParamGrads(m);
        }
        return x.grad().data();
    }

    /** p_c of the normalised image x on the fast, unrecorded path. */
    static float probability(Predictor p, float[] x, int c, int h, int w, int classIndex) {
        try (var g = GradMode.noGrad()) {
            return Losses.softmax(p.model().forward(Var.constant(Tensor.of(x, 1, c, h, w)))).value().data()[classIndex];
        }
    }

    /**
     * Grad-CAM (Selvaraju et al., 2017) on stage's activation A (0..3; patch merging included):
     * α_k = mean over the grid of ∂y_c/∂A_k with y_c the class logit, map = ReLU(Σ_k α_k A_k),
     * upsampled bilinearly to the input size and divided by its maximum (all zero when it is 0).
     */
    public static Explanation gradCam(Predictor p, Image prepared, int classIndex, int stage) {
        return cam(p, prepared, classIndex, stage, false);
    }

    /**
     * Grad-CAM++ (Chattopadhay et al., 2018), with the class score exp(y_c) so that its higher
     * derivatives are powers of g = ∂y_c/∂A: per cell α = g² / (2g² + Σ_grid A·g³), channel weight
     * w_k = Σ_grid α·ReLU(g), map = ReLU(Σ_k w_k A_k), upsampled and scaled to [0, 1] as Grad-CAM.
     */
    public static Explanation gradCamPlusPlus(Predictor p, Image prepared, int classIndex, int stage) {
        return cam(p, prepared, classIndex, stage, true);
    }

    private static Explanation cam(Predictor p, Image prepared, int classIndex, int stage, boolean plusPlus) {
        MedMamba m = p.model();
        if (classIndex != TOP) checkClass(p, classIndex);
        Tensor act;
        try (var g = GradMode.noGrad()) {
            act = m.forwardTo(Var.constant(Tensor.of(normalised(p, prepared), 1, prepared.channels(), prepared.height(), prepared.width())), stage).value();
        }
        Var a = Var.param(act);   // a leaf, so its gradient survives backward
        float prob;
        try (var g = GradMode.enableGrad(); var f = FrozenWeights.of(m)) {
            Var logits = m.forwardFrom(a, stage);
            float[] probs = Losses.softmax(logits).value().data();
            if (classIndex == TOP) classIndex = Predictor.argmax(probs);
            prob = probs[classIndex];
            logits.backward(oneHot(logits.shape(), classIndex));
        } finally {
            zeroParamGrads(m);
        }
        int gh = act.dim(1), gw = act.dim(2), k = act.dim(3), cells = gh * gw;
        float[] av = act.data(), gv = a.grad().data();
        double[] weight = camWeights(av, gv, cells, k, plusPlus);
        float[] cam = new float[cells];
        for (int i = 0; i < cells; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) s += weight[j] * av[i * k + j];
            cam[i] = (float) Math.max(0, s);
        }
        // upsampling only (the grid is coarser than the input): plain bilinear, half-pixel centres
        float[] map = new Image(1, gh, gw, cam).resize(prepared.height(), prepared.width()).data().clone();
        float max = 0;
        for (float v : map) max = Math.max(max, v);
        for (int i = 0; i < map.length; i++) map[i] = max > 0 ? Math.max(0f, map[i] / max) : 0f;
        return new Explanation(plusPlus ? "gradcam++" : "gradcam", classIndex, label(p, classIndex), prob, prepared.height(), prepared.width(), map);
    }

    /** Occlusion with a window of a quarter of the shorter side and a stride of half the window. */
    public static Explanation occlusion(Predictor p, Image prepared, int classIndex) {
        int win = Math.max(1, Math.min(prepared.height(), prepared.width()) / 4);
        return occlusion(p, prepared, classIndex, win, Math.max(1, win / 2));
    }

    /**
     * Occlusion (Zeiler &amp; Fergus, 2014): a window×window square set to the normalisation mean
     * (0 in the normalised input) slides by stride; each pixel's value is the mean drop
     * p_c(x) − p_c(occluded) over the windows that cover it. Windows are clipped at the border,
     * and the last one in each direction reaches it, so every pixel is covered.
     */
    public static Explanation occlusion(Predictor p, Image prepared, int classIndex, int window, int stride) {
        if (window < 1 || stride < 1) throw new IllegalArgumentException("occlusion window and stride must be >= 1, got " + window + ", " + stride);
        checkClass(p, classIndex);
        int c = prepared.channels(), h = prepared.height(), w = prepared.width(), n = h * w;
        float[] mean = p.bundle().mean();
        float base = p.predict(List.of(prepared))[0][classIndex];
        List<int[]> boxes = new ArrayList<>();
        for (int y : starts(h, window, stride)) for (int x : starts(w, window, stride)) boxes.add(new int[]{y, x});
        float[] sum = new float[n];
        int[] count = new int[n];
        for (int b0 = 0; b0 < boxes.size(); b0 += OCCLUSION_BATCH) {
            List<int[]> part = boxes.subList(b0, Math.min(boxes.size(), b0 + OCCLUSION_BATCH));
            List<Image> batch = new ArrayList<>(part.size());
            for (int[] bx : part) {
                float[] d = prepared.data().clone();
                for (int k = 0; k < c; k++)
                    for (int y = bx[0]; y < Math.min(h, bx[0] + window); y++)
                        for (int x = bx[1]; x < Math.min(w, bx[1] + window); x++) d[k * n + y * w + x] = mean[k];
                batch.add(new Image(c, h, w, d));
            }
            float[][] probs = p.predict(batch);
            for (int j = 0; j < part.size(); j++) {
                float drop = base - probs[j][classIndex];
                int[] bx = part.get(j);
                for (int y = bx[0]; y < Math.min(h, bx[0] + window); y++)
                    for (int x = bx[1]; x < Math.min(w, bx[1] + window); x++) {
                        sum[y * w + x] += drop;
                        count[y * w + x]++;
                    }
            }
        }
        float[] map = new float[n];
        for (int i = 0; i < n; i++) map[i] = sum[i] / count[i];
        return new Explanation("occlusion", classIndex, label(p, classIndex), base, h, w, map);
    }

    /** 0, stride, 2·stride, … up to the first start whose window reaches the far edge. */
    static List<Integer> starts(int size, int window, int stride) {
        List<Integer> s = new ArrayList<>();
        for (int at = 0; ; at += stride) {
            s.add(at);
            if (at + window >= size) return s;
        }
    }

    static float[] normalised(Predictor p, Image prepared) {
        float[] out = new float[prepared.data().length];
        prepared.normalizeInto(p.bundle().mean(), p.bundle().std(), out, 0);
        return out;
    }

    private static Tensor oneHot(int[] shape, int k) {
        Tensor t = Tensor.zeros(shape);
        t.storage()[k] = 1f;
        return t;
    }

    // backward also fills the weights' gradients; explanations must not leave them behind
    private static void zeroParamGrads(MedMamba m) {
        for (Var v : m.parameters()) v.zeroGrad();
    }

    private static void checkClass(Predictor p, int k) {
        int n = p.bundle().labels().size();
        if (k < 0 || k >= n) throw new IllegalArgumentException("class index must be 0.." + (n - 1) + ", got " + k);
    }

    private static String label(Predictor p, int k) {
        return p.bundle().labels().get(k);
    }
}
