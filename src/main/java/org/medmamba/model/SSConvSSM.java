package org.medmamba.model;

import org.medmamba.autograd.Activations;
import org.medmamba.autograd.FusedOps;
import org.medmamba.autograd.Dropouts;
import org.medmamba.autograd.InferenceOps;
import org.medmamba.autograd.LinearOps;
import org.medmamba.autograd.ShapeOps;
import org.medmamba.autograd.Var;
import org.medmamba.nn.BatchNorm2d;
import org.medmamba.nn.Conv2d;
import org.medmamba.nn.LayerNorm;
import org.medmamba.nn.Module;

import org.medmamba.tensor.Tensor;

import java.util.Random;

/**
 * The SS-Conv-SSM block: the first half of the channels goes through a BN/conv3×3/conv3×3/conv1×1
 * branch, the second half through LayerNorm → SS2D (with drop path); the halves are concatenated,
 * channel-shuffled (groups 2) and added to the input.
 */
public final class SSConvSSM extends Module {
    private final LayerNorm ln1;
    private final SS2D selfAttention;
    private final ConvBranch convBranch;
    private final float dropPath;
    private final Random rnd;

    public SSConvSSM(int dim, int dState, float dropPath, Random initRnd, Random trainRnd) {
        int half = dim / 2;
        ln1 = child("ln_1", new LayerNorm(half));
        selfAttention = child("self_attention", new SS2D(half, dState, initRnd));
        placeholder("drop_path");
        convBranch = child("conv33conv33conv11", new ConvBranch(half, initRnd));
        this.dropPath = dropPath;
        this.rnd = trainRnd;
    }

    SS2D scan() {
        return selfAttention;
    }

    /** x (B, H, W, C) → (B, H, W, C). */
    public Var forward(Var x) {
        Var[] halves = ShapeOps.chunk(x, 2, -1);
        Var s = Dropouts.dropPath(selfAttention.forward(ln1.forward(halves[1])), dropPath, isTraining(), rnd);
        if (inferencePath()) {   // inference: layouts chosen for speed
            if (convBranch.channelsLastPays(x.dim(0), x.dim(1), x.dim(2)))
                return InferenceOps.shuffleConcatResidualChannelsLast(convBranch.forwardChannelsLast(halves[0]), s, x);
            return FusedOps.shuffleConcatResidualChannelsFirst(convBranch.forwardChannelsFirst(halves[0]), s, x);
        }
        Var l = convBranch.forward(ShapeOps.permute(halves[0], 0, 3, 1, 2));                // NCHW
        // channel_shuffle(concat[l, s], groups=2) + x, in one pass
        return FusedOps.shuffleConcatResidualChannelsFirst(l, s, x);
    }

    /** Tests: which conv-branch layout eval inference uses for this batch shape, and its cache entry. */
    boolean channelsLastConvBranch(int b, int h, int w) {
        return convBranch.channelsLastPays(b, h, w);
    }

    Object convBranchCache() {
        return convBranch.cachedFold();
    }

    /** nn.Sequential(BN, Conv3×3, BN, ReLU, Conv3×3, BN, ReLU, Conv1×1, ReLU) on NCHW, indices as in the original. */
    static final class ConvBranch extends Module {
        private final BatchNorm2d bn0, bn2, bn5;
        private final Conv2d conv1, conv4, conv7;

        ConvBranch(int c, Random rnd) {
            bn0 = child("0", new BatchNorm2d(c));
            conv1 = child("1", new Conv2d(c, c, 3, 1, 1, 1, true, rnd));
            bn2 = child("2", new BatchNorm2d(c));
            placeholder("3");
            conv4 = child("4", new Conv2d(c, c, 3, 1, 1, 1, true, rnd));
            bn5 = child("5", new BatchNorm2d(c));
            placeholder("6");
            conv7 = child("7", new Conv2d(c, c, 1, 1, 0, 1, true, rnd));
            placeholder("8");
        }

        /**
         * Eval-mode inference on x (B, H, W, C) channels-last, rows read in place: bn0 applied as
         * the first conv's input affine, the BatchNorms after a conv folded into it, the 1×1 conv
         * as a linear layer; the result is (B, H, W, C).
         */
        Var forwardChannelsLast(Var x) {
            Folded f = folded();
            Tensor[] pre = f.pre(), f1 = f.f1(), f4 = f.f4();
            Var y;
            if (f.s1() != null) {   // int8/int4 convs: the BatchNorms scale their outputs, the integers stay as stored
                y = InferenceOps.conv3x3ChannelsLastQuantized(x, pre[0], pre[1], conv1.quantized(), f.s1()[0], f.s1()[1], true);
                y = InferenceOps.conv3x3ChannelsLastQuantized(y, null, null, conv4.quantized(), f.s4()[0], f.s4()[1], true);
            } else {
                y = InferenceOps.conv3x3ChannelsLast(x, pre[0], pre[1], f1[0], f1[1], true);
                y = InferenceOps.conv3x3ChannelsLast(y, null, null, f4[0], f4[1], true);
            }
            if (conv7.quantized() != null) return Activations.reluInPlace(LinearOps.linearQuantized(y, conv7.quantized(), conv7.bias));
            int c = conv7.weight.dim(0);
            return Activations.reluInPlace(LinearOps.linear(y, ShapeOps.reshape(conv7.weight, c, conv7.weight.dim(1)), conv7.bias));
        }

        /**
         * Whether both 3×3 convs hold integer weights: the channels-last path then runs them on the
         * integer kernel; the NCHW path (large grids) keeps the float kernels on the dequantised weights.
         */
        boolean quantized() {
            return conv1.quantized() != null && conv4.quantized() != null;
        }

        /**
         * bn0 as an affine and the convs with their BatchNorms folded in (f1, f4: weight and bias),
         * for integer convs also the BatchNorms as output factor and bias (s1, s4; else null), and
         * what they were computed from.
         */
        private record Folded(Object[] sources, float[] stats, Tensor[] pre, Tensor[] f1, Tensor[] f4, Tensor[] s1, Tensor[] s4) {}

        private volatile Folded folded;

        /** Also on train(true): a cache kept through training would pin the replaced parameters. */
        @Override
        protected void dropInferenceCache() {
            folded = null;
        }

        /** The current cache entry (tests: a repeated call must reuse it). */
        Object cachedFold() {
            return folded;
        }

        /**
         * The folded inference weights, cached: folding the last stage's 3×3 convs every call cost
         * ~8 ms of a 70 ms batch-1 forward. They are rebuilt when a source parameter tensor is
         * replaced (parameters are replaced, by the optimizer or by loading, not written in place;
         * see Module.clearInferenceCaches) or when the running statistics, compared by value, have
         * changed, and dropped when the module switches to training.
         */
        private Folded folded() {
            Object[] sources = {bn0.weight.value(), bn0.bias.value(), conv1.weight.value(), conv1.bias.value(),
                    bn2.weight.value(), bn2.bias.value(), conv4.weight.value(), conv4.bias.value(), bn5.weight.value(), bn5.bias.value(),
                    conv1.quantized(), conv4.quantized()};
            float[] stats = concat(bn0.runningMean, bn0.runningVar, bn2.runningMean, bn2.runningVar, bn5.runningMean, bn5.runningVar);
            Folded f = folded;
            if (f != null && java.util.Arrays.equals(f.stats(), stats) && sameObjects(f.sources(), sources)) return f;
            boolean q = quantized();
            f = new Folded(sources, stats, bn0.affine(), bn2.foldAfter(conv1), bn5.foldAfter(conv4),
                    q ? bn2.scaleShiftAfter(conv1) : null, q ? bn5.scaleShiftAfter(conv4) : null);
            folded = f;
            return f;
        }

        private static boolean sameObjects(Object[] a, Object[] b) {
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
            return true;
        }

        private static float[] concat(Tensor... ts) {
            int n = 0;
            for (Tensor t : ts) n += t.size();
            float[] out = new float[n];
            int o = 0;
            for (Tensor t : ts) {
                t.copyInto(out, o);
                o += t.size();
            }
            return out;
        }

        /**
         * Whether {@link #forwardChannelsLast} beats the NCHW convolutions for a batch of b h×w
         * images. Channels-last saves the layout copies but its GEMM puts pixels on the rows: it
         * wins on small grids with many channels once the batch gives enough rows (14×14 and
         * 7×7 at batch 16: 10.3 vs 11.0 and 10.6 vs 15.0 ms per conv), loses on the large early
         * grids (56×56: 12.1 vs 8.8 ms at batch 16) and when a few pixels meet large weights
         * (7×7×384 at batch 1: 2.7 vs 1.4 ms). Measured with both kernels on this machine.
         */
        boolean channelsLastPays(int b, int h, int w) {
            return h * w <= 196 && b * h * w >= 2 * conv7.weight.dim(0);
        }

        /**
         * Eval-mode inference in NCHW from channels-last x (B, H, W, C), rows read in place: bn0
         * applied while changing the layout, the BatchNorms after a conv folded into it, ReLUs in
         * place; the result is (B, C, H, W).
         */
        Var forwardChannelsFirst(Var x) {
            Folded f = folded();
            Tensor[] pre = f.pre(), f1 = f.f1(), f4 = f.f4();
            Var y = Activations.reluInPlace(conv1.forwardWith(InferenceOps.toChannelsFirst(x, pre[0], pre[1]), f1[0], f1[1]));
            y = Activations.reluInPlace(conv4.forwardWith(y, f4[0], f4[1]));
            return Activations.reluInPlace(conv7.forward(y));
        }

        /** NCHW x (B, C, H, W), as in the original: recorded, or in training mode. */
        Var forward(Var x) {
            Var y = Activations.relu(bn2.forward(conv1.forward(bn0.forward(x))));
            y = Activations.relu(bn5.forward(conv4.forward(y)));
            return Activations.relu(conv7.forward(y));
        }
    }
}
