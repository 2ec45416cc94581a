package org.medmamba.model;

import org.medmamba.autograd.Activations;
import org.medmamba.autograd.FusedOps;
import org.medmamba.autograd.Dropouts;
import org.medmamba.autograd.GradMode;
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

    /** x (B, H, W, C) → (B, H, W, C). */
    public Var forward(Var x) {
        Var[] halves = ShapeOps.chunk(x, 2, -1);
        Var s = Dropouts.dropPath(selfAttention.forward(ln1.forward(halves[1])), dropPath, isTraining(), rnd);
        Var l = convBranch.forward(ShapeOps.permute(halves[0], 0, 3, 1, 2));                // NCHW
        // channel_shuffle(concat[l, s], groups=2) + x, in one pass
        return FusedOps.shuffleConcatResidual(l, s, x);
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

        Var forward(Var x) {
            if (!isTraining() && !GradMode.enabled()) {
                // inference: BatchNorms after a conv folded into it, ReLUs in place
                Tensor[] f1 = bn2.foldAfter(conv1), f4 = bn5.foldAfter(conv4);
                Var y = Activations.reluInPlace(conv1.forwardWith(bn0.forward(x), f1[0], f1[1]));
                y = Activations.reluInPlace(conv4.forwardWith(y, f4[0], f4[1]));
                return Activations.reluInPlace(conv7.forward(y));
            }
            Var y = Activations.relu(bn2.forward(conv1.forward(bn0.forward(x))));
            y = Activations.relu(bn5.forward(conv4.forward(y)));
            return Activations.relu(conv7.forward(y));
        }
    }
}
