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

    /**
     * ReLU that overwrites x when nothing is being recorded (inference): for a fresh temporary
     * that no one else reads, it saves an allocation and a pass over memory. While recording it is
     * {@link #relu}.
     */
    public static Var reluInPlace(Var x) {
        return inPlace(x, Activation.Kind.RELU);
    }

    /** SiLU in place when not recording; see {@link #reluInPlace}. */
    public static Var siluInPlace(Var x) {
        return inPlace(x, Activation.Kind.SILU);
    }

    private static Var inPlace(Var x, Activation.Kind kind) {
        Tensor v = x.value();
        if (Var.recording(x) || !v.isDense()) return apply(x, kind);
        float[] d = v.storage();
        Kernels.activation().forward(kind, d, d, d.length);
        return Var.constant(v);
    }

    private static Var apply(Var x, Activation.Kind kind) {
        Activation k = Kernels.activation();
        boolean rec = Var.recording(x);
        // a strided input is copied by data(); when nothing is recorded that copy can take the result
        boolean freshCopy = !rec && !x.value().isDense();
        float[] in = x.value().data();
        float[] out = freshCopy ? in : new float[in.length];
        k.forward(kind, in, out, in.length);
        int[] shape = x.shape();
        return Var.result(Tensor.of(out, shape), !rec ? null : g -> {
            float[] gi = new float[in.length];
            k.backward(kind, in, out, g.data(), gi, in.length);
            x.accumulate(Tensor.of(gi, shape));
        }, x);
    }
}
