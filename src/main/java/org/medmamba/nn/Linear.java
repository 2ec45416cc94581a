package org.medmamba.nn;

import org.medmamba.autograd.LinearOps;
import org.medmamba.autograd.Var;
import org.medmamba.kernels.QuantizedMatrix;
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

    private final QuantizedWeight quantized = new QuantizedWeight();

    /**
     * Inference from now on multiplies by q (the same weights as int8/int4, see
     * {@link org.medmamba.kernels.QuantGemm}) instead of the float weight; a pass that records
     * gradients still uses the float weight, which stays the dequantised copy.
     */
    public void useQuantized(QuantizedMatrix q) {
        if (q.rows() != weight.dim(0) || q.cols() != weight.dim(1))
            throw new IllegalArgumentException("quantised weight is " + q.rows() + "x" + q.cols() + ", the layer " + weight.dim(0) + "x" + weight.dim(1));
        quantized.set(q, weight.value());
    }

    /**
     * The integer weights, or null — also once the float weight has been replaced (by an
     * optimizer step or a later loadStateDict): they were made from the old one.
     */
    public QuantizedMatrix quantized() {
        return quantized.forWeight(weight.value());
    }

    private volatile java.util.function.Consumer<Tensor> inputObserver;

    /** Calls observer with every input this layer multiplies from now on (null: stop); quantisation calibration uses it. */
    public void observeInputs(java.util.function.Consumer<Tensor> observer) {
        inputObserver = observer;
    }

    public Var forward(Var x) {
        var observer = inputObserver;
        if (observer != null) observer.accept(x.value());
        QuantizedMatrix q = quantized();
        if (q != null && !Var.recording(x, weight)) return LinearOps.linearQuantized(x, q, bias);
        return LinearOps.linear(x, weight, bias);
    }
}
