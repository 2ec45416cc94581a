package org.medmamba.nn;

import org.medmamba.autograd.Norms;
import org.medmamba.autograd.Var;
import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Tensor;

/** BatchNorm2d (eps 1e-5, momentum 0.1): batch statistics in training, running statistics in eval. */
public final class BatchNorm2d extends Module {
    public static final float EPS = 1e-5f, MOMENTUM = 0.1f;
    public final Var weight;
    public final Var bias;
    public final Tensor runningMean;
    public final Tensor runningVar;
    private final LongTensor numBatchesTracked;

    public BatchNorm2d(int channels) {
        this.weight = param("weight", Tensor.full(1f, channels));
        this.bias = param("bias", Tensor.zeros(channels));
        this.runningMean = buffer("running_mean", Tensor.zeros(channels));
        this.runningVar = buffer("running_var", Tensor.full(1f, channels));
        this.numBatchesTracked = longBuffer("num_batches_tracked", new LongTensor(new long[1], new int[0]));
    }

    public long numBatchesTracked() {
        return numBatchesTracked.data()[0];
    }

    /** x (B, C, H, W). */
    public Var forward(Var x) {
        if (isTraining()) numBatchesTracked.data()[0]++;
        return Norms.batchNorm2d(x, weight, bias, runningMean, runningVar, isTraining(), MOMENTUM, EPS);
    }

    /** For inference: {scale, shift} with BN(x) = x·scale + shift per channel (eval mode, running statistics). */
    public Tensor[] affine() {
        float[] g = weight.value().data(), be = bias.value().data(), m = runningMean.data(), v = runningVar.data();
        float[] sc = new float[g.length], sh = new float[g.length];
        for (int c = 0; c < g.length; c++) {
            sc[c] = (float) (g[c] / Math.sqrt(v[c] + (double) EPS));
            sh[c] = be[c] - m[c] * sc[c];
        }
        return new Tensor[]{Tensor.of(sc, g.length), Tensor.of(sh, g.length)};
    }

    /**
     * For inference with integer conv weights: {factor, bias} (out) such that BN(conv(x)) =
     * (x ∗ W)·factor + bias, so the BatchNorm folds into the output without touching W.
     */
    public Tensor[] scaleShiftAfter(Conv2d conv) {
        float[] g = weight.value().data(), be = bias.value().data(), m = runningMean.data(), v = runningVar.data();
        int out = g.length;
        float[] f = new float[out], fb = new float[out];
        float[] cb = conv.bias == null ? new float[out] : conv.bias.value().data();
        for (int o = 0; o < out; o++) {
            f[o] = (float) (g[o] / Math.sqrt(v[o] + (double) EPS));
            fb[o] = (cb[o] - m[o]) * f[o] + be[o];
        }
        return new Tensor[]{Tensor.of(f, out), Tensor.of(fb, out)};
    }

    /**
     * For inference: the weight and bias of {@code conv} with this BatchNorm (eval mode, running
     * statistics) folded in, so that conv' = BN(conv). Exact up to float rounding.
     */
    public Tensor[] foldAfter(Conv2d conv) {
        float[] w = conv.weight.value().data(), g = weight.value().data(), be = bias.value().data();
        float[] m = runningMean.data(), v = runningVar.data();
        int out = g.length, per = w.length / out;
        float[] fw = new float[w.length], fb = new float[out];
        float[] cb = conv.bias == null ? new float[out] : conv.bias.value().data();
        for (int o = 0; o < out; o++) {
            float sc = (float) (g[o] / Math.sqrt(v[o] + (double) EPS));
            for (int i = 0; i < per; i++) fw[o * per + i] = w[o * per + i] * sc;
            fb[o] = (cb[o] - m[o]) * sc + be[o];
        }
        return new Tensor[]{Tensor.of(fw, conv.weight.shape()), Tensor.of(fb, out)};
    }
}
