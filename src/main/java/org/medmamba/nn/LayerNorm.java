package org.medmamba.nn;

import org.medmamba.autograd.Norms;
import org.medmamba.autograd.Var;
import org.medmamba.tensor.Tensor;

/** LayerNorm over the last axis, eps 1e-5, weight 1 and bias 0 at start. */
public final class LayerNorm extends Module {
    public static final float EPS = 1e-5f;
    public final Var weight;
    public final Var bias;

    public LayerNorm(int dim) {
        this.weight = param("weight", Tensor.full(1f, dim));
        this.bias = param("bias", Tensor.zeros(dim));
    }

    public Var forward(Var x) {
        return Norms.layerNorm(x, weight, bias, EPS);
    }
}
