package org.medmamba.nn;

import org.medmamba.autograd.LinearOps;
import org.medmamba.autograd.Var;
import org.medmamba.tensor.Tensor;

import java.util.Random;

/** y = x·Wᵀ (+ b); weight (out, in) initialised normal(0, 0.02), bias 0 (MedMamba's _init_weights). */
public final class Linear extends Module {
    public final Var weight;
    public final Var bias;

    public Linear(int in, int out, boolean bias, Random rnd) {
        this.weight = param("weight", Init.normal(rnd, 0.02f, out, in));
        this.bias = bias ? param("bias", Tensor.zeros(out)) : null;
    }

    public Var forward(Var x) {
        return LinearOps.linear(x, weight, bias);
    }
}
