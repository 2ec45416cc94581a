package org.medmamba.autograd;

import org.medmamba.kernels.Activation;
import org.medmamba.kernels.Kernels;
import org.medmamba.tensor.Tensor;

/**
 * Pointwise nonlinearities. Forward and backward run through the {@link Activation} kernels;
 * each backward needs only the op's input (saved by reference, never copied).
 */
public final class Activations {
    private Activations() {}

    public static Var relu(Var x) { return apply(x, Activation.Kind.RELU); }
    public static Var silu(Var x) { return apply(x, Activation.Kind.SILU); }
    /** Exact (erf) GELU, PyTorch's default. */
    public static Var gelu(Var x) { return apply(x, Activation.Kind.GELU); }
    /** softplus(v) = v > 20 ? v : log1p(exp(v)) (PyTorch's threshold 20). */
    public static Var softplus(Var x) { return apply(x, Activation.Kind.SOFTPLUS); }
    public static Var exp(Var x) { return apply(x, Activation.Kind.EXP); }

    private static Var apply(Var x, Activation.Kind kind) {
        Activation k = Kernels.activation();
        float[] in = x.value().data();
        float[] out = new float[in.length];
        k.forward(kind, in, out, in.length);
        int[] shape = x.shape();
        boolean rec = Var.recording(x);
        return Var.result(Tensor.of(out, shape), !rec ? null : g -> {
            float[] gi = new float[in.length];
            k.backward(kind, in, out, g.data(), gi, in.length);
            x.accumulate(Tensor.of(gi, shape));
        }, x);
    }
}
