package org.medmamba.nn;

import org.medmamba.tensor.Tensor;

import java.util.Random;

/** Parameter initialisers used by the original MedMamba code. */
public final class Init {
    private Init() {}

    public static Tensor normal(Random rnd, float std, int... shape) {
        return Tensor.randn(rnd, std, shape);
    }

    public static Tensor uniform(Random rnd, float bound, int... shape) {
        return Tensor.uniform(rnd, -bound, bound, shape);
    }

    /** kaiming_normal_(mode="fan_out", nonlinearity="relu"): std = √(2 / (out · kh · kw)). */
    public static Tensor kaimingNormalFanOut(Random rnd, int out, int inPerGroup, int kh, int kw) {
        return normal(rnd, (float) Math.sqrt(2.0 / ((double) out * kh * kw)), out, inPerGroup, kh, kw);
    }
}
