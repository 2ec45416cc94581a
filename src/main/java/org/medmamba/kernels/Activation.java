package org.medmamba.kernels;

/** Pointwise activations over dense float arrays: forward, and backward from input/output/upstream gradient. */
public interface Activation {
    enum Kind { RELU, SILU, GELU, SOFTPLUS, EXP }

    /** out[i] = f(in[i]) for i in [0, n); in and out may be the same array. */
    void forward(Kind kind, float[] in, float[] out, int n);

    /** gradIn[i] = f'(in[i]) · gradOut[i]; out holds f(in) (reused where cheaper). */
    void backward(Kind kind, float[] in, float[] out, float[] gradOut, float[] gradIn, int n);
}
