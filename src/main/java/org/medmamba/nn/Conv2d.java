package org.medmamba.nn;

import org.medmamba.autograd.ConvOps;
import org.medmamba.autograd.Var;
import org.medmamba.kernels.QuantizedMatrix;

import java.util.Random;

/**
 * Conv2d layer (NCHW) with PyTorch's parameter layout. Weight: kaiming normal, fan_out, gain √2
 * (MedMamba's _init_weights); bias uniform(±1/√fan_in) as nn.Conv2d does.
 */
public final class Conv2d extends Module {
    public final Var weight;
    public final Var bias;
    private final int stride, pad, groups;

    public Conv2d(int in, int out, int kernel, int stride, int pad, int groups, boolean bias, Random rnd) {
        if (in % groups != 0 || out % groups != 0) throw new IllegalArgumentException("channels not divisible by groups");
        this.stride = stride;
        this.pad = pad;
        this.groups = groups;
        this.weight = param("weight", Init.kaimingNormalFanOut(rnd, out, in / groups, kernel, kernel));
        int fanIn = in / groups * kernel * kernel;
        this.bias = bias ? param("bias", Init.uniform(rnd, (float) (1 / Math.sqrt(fanIn)), out)) : null;
    }

    private final QuantizedWeight quantized = new QuantizedWeight();

    /**
     * The same weights as int8/int4 (out × in/groups·kh·kw, PyTorch's order): inference paths that
     * have an integer kernel (the SS-Conv-SSM conv branch) multiply by it; every other path, and
     * every pass that records gradients, uses the float weight, the dequantised copy.
     */
    public void useQuantized(QuantizedMatrix q) {
        int[] s = weight.shape();
        if (q.rows() != s[0] || q.cols() != s[1] * s[2] * s[3])
            throw new IllegalArgumentException("quantised weight is " + q.rows() + "x" + q.cols() + ", the convolution "
                    + s[0] + "x" + s[1] * s[2] * s[3]);
        quantized.set(q, weight.value());
    }

    /**
     * The integer weights, or null — also once the float weight has been replaced (by an
     * optimizer step or a later loadStateDict): they were made from the old one.
     */
    public QuantizedMatrix quantized() {
        return quantized.forWeight(weight.value());
    }

    private volatile java.util.function.Consumer<org.medmamba.tensor.Tensor> inputObserver;

    /**
     * Hands every input (B, C, H, W) of {@link #forward} to observer (null stops): calibration
     * collects input statistics so. Inference paths that fold this layer into a fused kernel do
     * not call forward; run recorded (gradients on) in eval mode to see every input.
     */
    public void observeInputs(java.util.function.Consumer<org.medmamba.tensor.Tensor> observer) {
        inputObserver = observer;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return pad;
    }

    public int groups() {
        return groups;
    }

    public Var forward(Var x) {
        var observer = inputObserver;
        if (observer != null) observer.accept(x.value());
        return ConvOps.conv2d(x, weight, bias, stride, pad, groups);
    }

    /** The same convolution with other (e.g. BatchNorm-folded) weight and bias. */
    public Var forwardWith(Var x, org.medmamba.tensor.Tensor w, org.medmamba.tensor.Tensor b) {
        return ConvOps.conv2d(x, Var.constant(w), b == null ? null : Var.constant(b), stride, pad, groups);
    }
}
