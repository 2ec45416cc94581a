package org.medmamba.autograd;

import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;

/** Softmax, log-softmax (last axis) and cross-entropy with PyTorch's semantics. */
public final class Losses {
    private Losses() {}

    public static Var softmax(Var x) {
        int[] xs = x.shape();
        int c = xs[xs.length - 1], rows = x.value().size() / c;
        float[] y = new float[rows * c];
        softmaxRows(x.value().data(), y, rows, c, false);
        return Var.result(Tensor.of(y, xs), g -> {
            float[] gd = g.data(), dx = new float[y.length];
            for (int r = 0; r < rows; r++) {
                int o = r * c;
                double dot = 0;
                for (int j = 0; j < c; j++) dot += gd[o + j] * y[o + j];
                for (int j = 0; j < c; j++) dx[o + j] = (float) (y[o + j] * (gd[o + j] - dot));
            }
            x.accumulate(Tensor.of(dx, xs));
        }, x);
    }

    public static Var logSoftmax(Var x) {
        int[] xs = x.shape();
        int c = xs[xs.length - 1], rows = x.value().size() / c;
        float[] y = new float[rows * c];
        softmaxRows(x.value().data(), y, rows, c, true);
        return Var.result(Tensor.of(y, xs), g -> {
            float[] gd = g.data(), dx = new float[y.length];
            for (int r = 0; r < rows; r++) {
                int o = r * c;
                double s = 0;
                for (int j = 0; j < c; j++) s += gd[o + j];
                for (int j = 0; j < c; j++) dx[o + j] = (float) (gd[o + j] - Math.exp(y[o + j]) * s);
            }
            x.accumulate(Tensor.of(dx, xs));
        }, x);
    }

    /** Row-wise (log-)softmax, max-shifted, accumulated in double. */
    public static void softmaxRows(float[] x, float[] y, int rows, int c, boolean log) {
        for (int r = 0; r < rows; r++) {
            int o = r * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, x[o + j]);
            double s = 0;
            for (int j = 0; j < c; j++) s += Math.exp(x[o + j] - max);
            double lse = Math.log(s);
            for (int j = 0; j < c; j++) {
                double lp = x[o + j] - max - lse;
                y[o + j] = (float) (log ? lp : Math.exp(lp));
            }
        }
    }

    /**
     * Mean cross-entropy of logits (B, C) against integer labels, as torch.nn.CrossEntropyLoss:
     * with class weights w the mean is Σ w[y_i]·l_i / Σ w[y_i]; label smoothing ε mixes in
     * (ε/C)·Σ_c w[c]·(−log p_ic) per sample, divided by the same denominator.
     *
     * @param classWeights per-class weights, or null for uniform
     */
    public static Var crossEntropy(Var logits, LongTensor labels, float[] classWeights, float labelSmoothing) {
        int[] ls = logits.shape();
        if (ls.length != 2) throw new IllegalArgumentException("crossEntropy expects logits (B, C), got " + Shape.str(ls));
        int bsz = ls[0], c = ls[1];
        if (labels.size() != bsz) throw new IllegalArgumentException("crossEntropy: " + labels.size() + " labels for batch " + bsz);
        if (classWeights != null && classWeights.length != c) throw new IllegalArgumentException("crossEntropy: " + classWeights.length + " class weights for " + c + " classes");
        if (labelSmoothing < 0 || labelSmoothing > 1) throw new IllegalArgumentException("label smoothing must be in [0, 1]");
        float[] logp = new float[bsz * c];
        softmaxRows(logits.value().data(), logp, bsz, c, true);
        double denom = 0, total = 0;
        double eps = labelSmoothing;
        for (int i = 0; i < bsz; i++) {
            long yl = labels.get(i);
            if (yl < 0 || yl >= c) throw new IllegalArgumentException("label " + yl + " out of range [0, " + c + ")");
            int y = (int) yl;
            double wy = classWeights == null ? 1 : classWeights[y];
            denom += wy;
            total += (1 - eps) * wy * -logp[i * c + y];
            if (eps > 0) {
                double sm = 0;
                for (int j = 0; j < c; j++) sm += (classWeights == null ? 1 : classWeights[j]) * -logp[i * c + j];
                total += eps / c * sm;
            }
        }
        final double den = denom;
        return Var.result(Tensor.scalar((float) (total / den)), g -> {
            double gs = g.item() / den;
            float[] dx = new float[bsz * c];
            for (int i = 0; i < bsz; i++) {
                int y = (int) labels.get(i);
                // d loss / d logp_ij = −[(1−ε)·w_y·[j=y] + (ε/C)·w_j]; through log-softmax: d − p·Σd
                double sumD = 0;
                double[] d = new double[c];
                for (int j = 0; j < c; j++) {
                    double wj = classWeights == null ? 1 : classWeights[j];
                    d[j] = -(eps / c) * wj;
                }
                d[y] -= (1 - eps) * (classWeights == null ? 1 : classWeights[y]);
                for (int j = 0; j < c; j++) sumD += d[j];
                for (int j = 0; j < c; j++) dx[i * c + j] = (float) (gs * (d[j] - Math.exp(logp[i * c + j]) * sumD));
            }
            logits.accumulate(Tensor.of(dx, ls));
        }, logits);
    }
}
