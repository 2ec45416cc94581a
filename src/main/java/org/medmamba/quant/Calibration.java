package org.medmamba.quant;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Var;
import org.medmamba.kernels.Parallel;
import org.medmamba.kernels.QuantizedMatrix;
import org.medmamba.model.MedMamba;
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

    /** The state dict to quantise (scaled weights, divided norms) and what was chosen per layer. */
    public record Result(Map<String, Object> stateDict, List<Layer> layers, int images) {
        /** Sum over the layers of the chosen error relative to the unscaled one's. */
        public double errorRatio() {
            double a = 0, b = 0;
            for (Layer l : layers) {
                a += l.errorChosen();
                b += l.errorPlain();
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

    /**
     * Runs the batches (N, C, H, W, already normalised) through the float model in eval mode,
     * collects each paired linear layer's input statistics, and chooses α per layer for the
     * scheme (8 or 4 bits).
     */
    public static Result run(MedMamba model, Iterable<Tensor> batches, QuantScheme scheme, Consumer<String> progress) {
        if (scheme.bits() != 8 && scheme.bits() != 4)
            throw new IllegalArgumentException("calibration applies to 8- and 4-bit weights, not " + scheme.describe());
        Map<String, Object> state = model.stateDict();
        List<Pair> pairs = pairs(state);
        Map<String, Gram> grams = new LinkedHashMap<>();
        List<Linear> observed = new ArrayList<>();
        for (Pair p : pairs) {
            Linear l = (Linear) module(model, p.linear());
            Gram g = new Gram(l.weight.dim(1));
            grams.put(p.linear(), g);
            l.observeInputs(g::add);
            observed.add(l);
        }
        int images = 0;
        boolean wasTraining = model.isTraining();
        model.train(false);
        try (var ng = GradMode.noGrad()) {
            for (Tensor b : batches) {
                model.forward(Var.constant(b));
                images += b.dim(0);
            }
        } finally {
            for (Linear l : observed) l.observeInputs(null);
            model.train(wasTraining);
        }
        if (images == 0) throw new IllegalArgumentException("no calibration images");
        Map<String, Object> out = new LinkedHashMap<>(state);
        List<Layer> layers = new ArrayList<>();
        int done = 0;
        for (Pair p : pairs) {
            Gram g = grams.get(p.linear());
            Tensor w = (Tensor) state.get(p.linear() + ".weight");
            Choice c = choose(w.contiguous().data(), w.dim(0), w.dim(1), g, scheme);
            layers.add(new Layer(p.linear(), c.alpha, c.errPlain, c.errChosen, g.rows));
            if (c.alpha > 0) fold(out, p, c.s);
            if (progress != null) progress.accept(String.format(java.util.Locale.ROOT, "calibrated %d/%d %s: alpha %.1f, error x%.3f",
                    ++done, pairs.size(), p.linear(), c.alpha, c.errPlain == 0 ? 1 : c.errChosen / c.errPlain));
        }
        return new Result(out, layers, images);
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

    /** XᵀX and the row count of one layer's inputs, in double. */
    static final class Gram {
        final int n;
        final double[] g;
        long rows;

        Gram(int n) {
            this.n = n;
            this.g = new double[n * n];
        }

        synchronized void add(Tensor x) {
            float[] d = x.contiguous().data();
            int r = d.length / n;
            // row blocks of the upper triangle in parallel; each thread writes its own rows of g
            Parallel.range(n, Math.max(1, 16384 / Math.max(1, r)), (s, e) -> {
                for (int i = s; i < e; i++)
                    for (int k = 0; k < r; k++) {
                        double xi = d[k * n + i];
                        if (xi == 0) continue;
                        int o = k * n, gi = i * n;
                        for (int j = i; j < n; j++) g[gi + j] += xi * d[o + j];
                    }
            });
            rows += r;
        }

        double at(int i, int j) {
            return i <= j ? g[i * n + j] : g[j * n + i];
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
        float[] ws = scaleColumns(w, rows, cols, s);
        QuantizedMatrix q = Quantizer.quantize(ws, rows, cols, scheme.bits(), scheme.bits() == 4 ? scheme.groupSize() : 0);
        double[] perRow = new double[rows];
        Parallel.range(rows, 1, (r0, r1) -> {
            double[] d = new double[cols];
            for (int r = r0; r < r1; r++) {
                for (int j = 0; j < cols; j++) d[j] = (double) q.get(r, j) / s[j] - w[r * cols + j];
                double e = 0;
                for (int i = 0; i < cols; i++) {
                    if (d[i] == 0) continue;
                    double acc = g.g[i * cols + i] * d[i];
                    for (int j = i + 1; j < cols; j++) acc += 2 * g.g[i * cols + j] * d[j];
                    e += d[i] * acc;
                }
                perRow[r] = e;
            }
        });
        double sum = 0;
        for (double v : perRow) sum += v;
        return sum / Math.max(1, g.rows);
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
