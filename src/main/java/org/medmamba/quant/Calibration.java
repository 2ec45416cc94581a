package org.medmamba.quant;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Var;
import org.medmamba.kernels.Kernels;
import org.medmamba.kernels.Parallel;
import org.medmamba.kernels.QuantizedMatrix;
import org.medmamba.model.MedMamba;
import org.medmamba.nn.Conv2d;
import org.medmamba.nn.Linear;
import org.medmamba.nn.Module;
import org.medmamba.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Activation-aware smoothing before weight quantisation, chosen on calibration images. A linear
 * layer whose input is a LayerNorm's output (in_proj after ln_1, out_proj after out_norm — its
 * SiLU gate multiplies per channel, so it commutes — and the patch-merging reduction after its
 * norm) computes the same with W·diag(s) when the norm's weight and bias are divided by s. With
 * s_j = m_j^α (m_j the RMS of input channel j over the calibration images, normalised to
 * geometric mean 1), channels that carry large activations get finer quantisation steps
 * (SmoothQuant's migration, used here for weight-only quantisation as AWQ does).
 *
 * <p>Per layer, α is chosen from {@link #ALPHAS} by the quantisation error of the layer's output
 * on the calibration inputs, ‖X·(W_q − W)ᵀ‖² with W_q the dequantised weight seen through the
 * scaling, computed from the inputs' Gram matrix XᵀX; α = 0 (no scaling) is a candidate, so a
 * layer is only changed when that lowers the error.
 */
public final class Calibration {
    /** Candidate exponents; 0 leaves the layer as it was. */
    public static final double[] ALPHAS = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};

    private Calibration() {}

    /** A norm whose output is exactly the linear layer's input (state-dict prefixes, without ".weight"). */
    public record Pair(String norm, String linear) {}

    /**
     * @param errorPlain  mean squared output error per calibration row without scaling (α = 0)
     * @param errorChosen the same with the chosen α
     */
    public record Layer(String linear, double alpha, double errorPlain, double errorChosen, long rows) {}

    /**
     * One layer rounded by {@link Gptq}: mean squared output error per calibration row with
     * nearest rounding and with GPTQ's (both after the layer's smoothing, if any).
     */
    public record Rounded(String weight, double errorNearest, double errorGptq, long rows) {}

    /**
     * The state dict to quantise (scaled weights, divided norms; GPTQ-rounded weights as their
     * dequantised floats), what was chosen per layer, and the integer weights GPTQ chose (tensor
     * name → matrix; empty without GPTQ), to be saved as they are.
     */
    public record Result(Map<String, Object> stateDict, List<Layer> layers, int images, List<Rounded> rounded,
                         Map<String, QuantizedMatrix> integers) {
        /** Sum over the GPTQ-rounded layers of their error relative to nearest rounding's (1 without GPTQ). */
        public double roundingErrorRatio() {
            return ratio(rounded, Rounded::errorGptq, Rounded::errorNearest);
        }

        /** Sum over the layers of the chosen error relative to the unscaled one's. */
        public double errorRatio() {
            return ratio(layers, Layer::errorChosen, Layer::errorPlain);
        }

        private static <T> double ratio(List<T> items, java.util.function.ToDoubleFunction<T> part, java.util.function.ToDoubleFunction<T> whole) {
            double a = 0, b = 0;
            for (T t : items) {
                a += part.applyAsDouble(t);
                b += whole.applyAsDouble(t);
            }
            return b == 0 ? 1 : a / b;
        }
    }

    /** The norm → linear pairs of a MedMamba state dict. */
    public static List<Pair> pairs(Map<String, ?> state) {
        List<Pair> out = new ArrayList<>();
        for (String k : state.keySet()) {
            String[][] rules = {{"self_attention.in_proj.weight", "ln_1"}, {"self_attention.out_proj.weight", "self_attention.out_norm"},
                    {"downsample.reduction.weight", "downsample.norm"}};
            for (String[] r : rules)
                if (k.endsWith("." + r[0])) {
                    String prefix = k.substring(0, k.length() - r[0].length());
                    String norm = prefix + r[1];
                    if (state.containsKey(norm + ".weight") && state.containsKey(norm + ".bias"))
                        out.add(new Pair(norm, k.substring(0, k.length() - ".weight".length())));
                }
        }
        return out;
    }

    /** Smoothing only (nearest rounding): {@link #run(MedMamba, Iterable, QuantScheme, boolean, Consumer)} without GPTQ. */
    public static Result run(MedMamba model, Iterable<Tensor> batches, QuantScheme scheme, Consumer<String> progress) {
        return run(model, batches, scheme, false, progress);
    }

    /**
     * Runs the batches (N, C, H, W, already normalised) through the float model in eval mode,
     * collects the input Gram matrix of every paired linear layer (and, with gptq, of every
     * quantised linear and non-grouped convolution layer), chooses α per paired layer for the
     * scheme (8 or 4 bits), and with gptq then rounds each of those layers by {@link Gptq}.
     * Depthwise convolutions and the scan's x_proj / dt_projs weights (2–5 % of the weights) keep
     * nearest rounding.
     */
    public static Result run(MedMamba model, Iterable<Tensor> batches, QuantScheme scheme, boolean gptq, Consumer<String> progress) {
        if (scheme.bits() != 8 && scheme.bits() != 4)
            throw new IllegalArgumentException("calibration applies to 8- and 4-bit weights, not " + scheme.describe());
        Map<String, Object> state = model.stateDict();
        List<Pair> pairs = pairs(state);
        Map<String, Gram> grams = new LinkedHashMap<>();   // layer prefix → its inputs' Gram matrix
        List<Runnable> detach = new ArrayList<>();
        Map<String, Module> layers = new LinkedHashMap<>();
        if (gptq) collect(model, "", layers);
        else for (Pair p : pairs) layers.put(p.linear(), module(model, p.linear()));
        for (Map.Entry<String, Module> e : layers.entrySet()) {
            if (e.getValue() instanceof Linear l) {
                Gram g = new Gram(l.weight.dim(1));
                grams.put(e.getKey(), g);
                l.observeInputs(g::add);
                detach.add(() -> l.observeInputs(null));
            } else if (e.getValue() instanceof Conv2d c) {
                int[] k = c.weight.shape();
                Gram g = new Gram(k[1] * k[2] * k[3]);
                grams.put(e.getKey(), g);
                c.observeInputs(x -> g.add(patches(x, k[2], k[3], c.stride(), c.padding())));
                detach.add(() -> c.observeInputs(null));
            }
        }
        int images = 0;
        boolean wasTraining = model.isTraining();
        model.train(false);
        try {
            for (Tensor b : batches) {
                // with GPTQ recorded (eval mode, gradients on): the plain path, where every conv sees its
                // input; the fused inference path folds the conv branch into kernels that bypass Conv2d.forward
                try (var mode = gptq ? GradMode.enableGrad() : GradMode.noGrad()) {
                    if (!gptq) model.forward(Var.constant(b));
                    else for (Tensor part : slices(b, RECORDED_BATCH)) model.forward(Var.constant(part));
                }
                images += b.dim(0);
            }
        } finally {
            for (Runnable r : detach) r.run();
            model.train(wasTraining);
        }
        if (images == 0) throw new IllegalArgumentException("no calibration images");
        for (Map.Entry<String, Gram> e : grams.entrySet())
            if (e.getValue().rows == 0) throw new IllegalStateException(e.getKey() + " saw no input during calibration");
        Map<String, Object> out = new LinkedHashMap<>(state);
        List<Layer> chosen = new ArrayList<>();
        Map<String, float[]> smoothing = new LinkedHashMap<>();
        int done = 0;
        for (Pair p : pairs) {
            Gram g = grams.get(p.linear());
            Tensor w = (Tensor) state.get(p.linear() + ".weight");
            Choice c = choose(w.contiguous().data(), w.dim(0), w.dim(1), g, scheme);
            chosen.add(new Layer(p.linear(), c.alpha, c.errPlain, c.errChosen, g.rows));
            if (c.alpha > 0) {
                fold(out, p, c.s);
                smoothing.put(p.linear(), c.s);
            }
            if (progress != null) progress.accept(String.format(java.util.Locale.ROOT, "calibrated %d/%d %s: alpha %.1f, error x%.3f",
                    ++done, pairs.size(), p.linear(), c.alpha, c.errPlain == 0 ? 1 : c.errChosen / c.errPlain));
        }
        List<Rounded> rounded = new ArrayList<>();
        Map<String, QuantizedMatrix> integers = new LinkedHashMap<>();
        if (gptq) {
            done = 0;
            for (Map.Entry<String, Gram> e : grams.entrySet()) {
                String name = e.getKey() + ".weight";
                Tensor t = (Tensor) out.get(name);
                int cols = e.getValue().n, rows = t.size() / cols;
                float[] w = t.contiguous().data();
                double[] h = e.getValue().full(smoothing.get(e.getKey()));
                QuantizedMatrix q = Gptq.quantize(w, rows, cols, h, scheme.bits(), scheme.groupSize());
                QuantizedMatrix nearest = Quantizer.quantize(w, rows, cols, scheme.bits(), scheme.groupSize());
                long n = Math.max(1, e.getValue().rows);
                double errG = outputError(w, q, h, cols) / n, errN = outputError(w, nearest, h, cols) / n;
                if (errG > errN) q = nearest;   // never worse than nearest rounding on the calibration inputs
                rounded.add(new Rounded(name, errN, Math.min(errG, errN), e.getValue().rows));
                integers.put(name, q);
                float[] deq = new float[rows * cols];
                q.dequantize(0, rows, deq);
                out.put(name, Tensor.of(deq, t.shape()));
                if (progress != null) progress.accept(String.format(java.util.Locale.ROOT, "rounded %d/%d %s (GPTQ): error x%.3f of nearest rounding's",
                        ++done, grams.size(), name, errN == 0 ? 1 : Math.min(errG, errN) / errN));
            }
        }
        return new Result(out, chosen, images, rounded, integers);
    }

    /**
     * Images per recorded forward: the tape of a recorded pass is kept until it ends, and at
     * MedMamba-T 224×224 a batch of 16 took the calibration's peak RSS to 8.6 GB.
     */
    static final int RECORDED_BATCH = 4;

    /** b (N, …) as consecutive batches of at most n images. */
    static List<Tensor> slices(Tensor b, int n) {
        if (b.dim(0) <= n) return List.of(b);
        float[] d = b.contiguous().data();
        int per = b.size() / b.dim(0);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < b.dim(0); i += n) {
            int k = Math.min(n, b.dim(0) - i);
            int[] shape = b.shape().clone();
            shape[0] = k;
            out.add(Tensor.of(java.util.Arrays.copyOfRange(d, i * per, (i + k) * per), shape));
        }
        return out;
    }

    /** Every quantised linear and non-grouped convolution layer under m (prefix → module), in state-dict order. */
    private static void collect(Module m, String prefix, Map<String, Module> into) {
        for (Map.Entry<String, Module> e : m.children().entrySet()) {
            String name = prefix + e.getKey();
            Module c = e.getValue();
            if (c == null) continue;   // a placeholder (an index of nn.Sequential without parameters)
            if (c instanceof Linear l && Quantizer.quantizes(name + ".weight", l.weight.shape())) into.put(name, c);
            else if (c instanceof Conv2d v && v.groups() == 1) into.put(name, c);
            collect(c, name + ".", into);
        }
    }

    /**
     * The im2col rows of x (B, C, H, W) for a kh × kw convolution: one row per output position,
     * its C·kh·kw inputs in the weight's (c, ky, kx) order, zeros for padding.
     */
    static Tensor patches(Tensor x, int kh, int kw, int stride, int pad) {
        int b = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int ho = (h + 2 * pad - kh) / stride + 1, wo = (w + 2 * pad - kw) / stride + 1, k = c * kh * kw;
        float[] d = x.contiguous().data(), p = new float[b * ho * wo * k];
        Parallel.range(b * ho, 1, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int n = r / ho, oy = r % ho;
                for (int ox = 0; ox < wo; ox++) {
                    int o = (r * wo + ox) * k;
                    for (int ch = 0; ch < c; ch++)
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = oy * stride - pad + ky;
                            for (int kx = 0; kx < kw; kx++) {
                                int ix = ox * stride - pad + kx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) p[o + (ch * kh + ky) * kw + kx] = d[((n * c + ch) * h + iy) * w + ix];
                            }
                        }
                }
            }
        });
        return Tensor.of(p, b * ho * wo, k);
    }

    /** Σ over the rows of (W_q − W)·H·(W_q − W)ᵀ for a full symmetric H: the output error summed over the Gram's rows. */
    static double outputError(float[] w, QuantizedMatrix q, double[] h, int cols) {
        int rows = q.rows();
        double[] perRow = new double[rows];
        Parallel.range(rows, 1, (r0, r1) -> {
            double[] d = new double[cols];
            for (int r = r0; r < r1; r++) {
                for (int j = 0; j < cols; j++) d[j] = (double) q.get(r, j) - w[r * cols + j];
                double e = 0;
                for (int i = 0; i < cols; i++) {
                    if (d[i] == 0) continue;
                    double acc = 0;
                    int o = i * cols;
                    for (int j = 0; j < cols; j++) acc += h[o + j] * d[j];
                    e += d[i] * acc;
                }
                perRow[r] = e;
            }
        });
        double sum = 0;
        for (double v : perRow) sum += v;
        return sum;
    }

    /**
     * Applies the scales s (one per input channel of p's linear layer) to a state dict in place:
     * the linear weight's columns multiplied by s, the norm's weight and bias divided by it, so
     * the float model computes the same.
     */
    static void fold(Map<String, Object> state, Pair p, float[] s) {
        Tensor w = (Tensor) state.get(p.linear() + ".weight");
        state.put(p.linear() + ".weight", Tensor.of(scaleColumns(w.contiguous().data(), w.dim(0), w.dim(1), s), w.shape()));
        for (String t : new String[]{".weight", ".bias"}) {
            float[] v = ((Tensor) state.get(p.norm() + t)).contiguous().data().clone();
            for (int j = 0; j < v.length; j++) v[j] /= s[j];
            state.put(p.norm() + t, Tensor.of(v, v.length));
        }
    }

    /** XᵀX (full, symmetric) and the row count of one layer's inputs, summed in double. */
    static final class Gram {
        final int n;
        final double[] g;
        long rows;

        Gram(int n) {
            this.n = n;
            this.g = new double[n * n];
        }

        /** Rows per GEMM: float sums over this many products, double across blocks (relative error ~1e-6). */
        static final int BLOCK = 1024;

        synchronized void add(Tensor x) {
            float[] d = x.contiguous().data();
            int r = d.length / n;
            float[] part = new float[n * n];
            for (int r0 = 0; r0 < r; r0 += BLOCK) {
                int m = Math.min(BLOCK, r - r0);
                // XᵀX of the block through the GEMM kernel (the scalar double loop took minutes for MedMamba-T at 224)
                Kernels.gemm().sgemm(true, false, n, n, m, d, r0 * n, n, d, r0 * n, n, 0f, part, 0, n);
                for (int i = 0; i < g.length; i++) g[i] += part[i];
            }
            rows += r;
        }

        double at(int i, int j) {
            return g[i * n + j];
        }

        /** The full symmetric matrix; with s (a smoothing's scales, or null) that of the inputs x/s: diag(1/s)·XᵀX·diag(1/s). */
        double[] full(float[] s) {
            double[] f = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = i; j < n; j++) {
                    double v = g[i * n + j];
                    if (s != null) v /= (double) s[i] * s[j];
                    f[i * n + j] = f[j * n + i] = v;
                }
            return f;
        }
    }

    private record Choice(double alpha, float[] s, double errPlain, double errChosen) {}

    static Choice choose(float[] w, int rows, int cols, Gram g, QuantScheme scheme) {
        double[] rms = new double[cols];
        double logSum = 0;
        int positive = 0;
        for (int j = 0; j < cols; j++) {
            rms[j] = Math.sqrt(g.at(j, j) / Math.max(1, g.rows));
            if (rms[j] > 0) {
                logSum += Math.log(rms[j]);
                positive++;
            }
        }
        double logMean = positive == 0 ? 0 : logSum / positive;
        double best = Double.POSITIVE_INFINITY, plain = 0, bestAlpha = 0;
        float[] bestS = null;
        for (double a : ALPHAS) {
            float[] s = new float[cols];
            for (int j = 0; j < cols; j++) s[j] = rms[j] > 0 ? (float) Math.exp(a * (Math.log(rms[j]) - logMean)) : 1f;
            double err = error(w, rows, cols, s, g, scheme);
            if (a == 0) plain = err;
            if (err < best) {
                best = err;
                bestAlpha = a;
                bestS = s;
            }
        }
        return new Choice(bestAlpha, bestS, plain, best);
    }

    /** Mean over the calibration rows of ‖x·(W_q/s − W)ᵀ‖², W_q = dequantised quantise(W·diag(s)). */
    static double error(float[] w, int rows, int cols, float[] s, Gram g, QuantScheme scheme) {
        // (W_q/s − W)·G·(W_q/s − W)ᵀ = (W_q − W·diag(s))·diag(1/s)·G·diag(1/s)·(…)ᵀ: the scaled layer's output error
        float[] ws = scaleColumns(w, rows, cols, s);
        QuantizedMatrix q = Quantizer.quantize(ws, rows, cols, scheme.bits(), scheme.bits() == 4 ? scheme.groupSize() : 0);
        return outputError(ws, q, g.full(s), cols) / Math.max(1, g.rows);
    }

    static float[] scaleColumns(float[] w, int rows, int cols, float[] s) {
        float[] out = new float[w.length];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) out[r * cols + j] = w[r * cols + j] * s[j];
        return out;
    }

    private static Module module(Module root, String path) {
        Module cur = root;
        for (String part : path.split("\\.")) {
            cur = cur.children().get(part);
            if (cur == null) throw new IllegalArgumentException("no module " + path);
        }
        return cur;
    }
}
