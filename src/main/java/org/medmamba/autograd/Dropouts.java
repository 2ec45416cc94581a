package org.medmamba.autograd;

import org.medmamba.tensor.Tensor;

import java.util.Random;

/** Dropout (per element) and drop path / stochastic depth (per sample), both scaled by 1/(1−p). */
public final class Dropouts {
    private Dropouts() {}

    public static Var dropout(Var x, float p, boolean training, Random rnd) {
        if (!training || p == 0f) return x;
        checkP(p);
        float[] xd = x.value().data();
        float[] mask = new float[xd.length];
        float scale = 1f / (1f - p);
        for (int i = 0; i < mask.length; i++) mask[i] = rnd.nextFloat() >= p ? scale : 0f;
        return Arith.mul(x, Var.constant(Tensor.of(mask, x.shape())));
    }

    /**
     * timm's drop_path: each sample (leading axis) is zeroed with probability p and the kept ones
     * are scaled by 1/(1−p).
     */
    public static Var dropPath(Var x, float p, boolean training, Random rnd) {
        if (!training || p == 0f) return x;
        checkP(p);
        int[] ms = new int[x.rank()];
        java.util.Arrays.fill(ms, 1);
        ms[0] = x.dim(0);
        float[] mask = new float[ms[0]];
        float keep = 1f - p;
        for (int i = 0; i < mask.length; i++) mask[i] = rnd.nextFloat() < keep ? 1f / keep : 0f;
        return Arith.mul(x, Var.constant(Tensor.of(mask, ms)));
    }

    private static void checkP(float p) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("drop probability must be in [0, 1), got " + p);
    }
}
