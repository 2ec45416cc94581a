package org.medmamba.kernels;

/** Plain-Java {@link Activation} in double precision: the definition the vector kernel is tested against. */
final class ReferenceActivation implements Activation {

    public static double f(Kind kind, double x) {
        return switch (kind) {
            case RELU -> x > 0 ? x : 0;
            case SILU -> x / (1 + Math.exp(-x));
            case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));
            case EXP -> Math.exp(x);
        };
    }

    public static double df(Kind kind, double x) {
        return switch (kind) {
            case RELU -> x > 0 ? 1 : 0;
            case SILU -> {
                double s = 1 / (1 + Math.exp(-x));
                yield s * (1 + x * (1 - s));
            }
            case GELU -> 0.5 * (1 + erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
            case SOFTPLUS -> x > 20 ? 1 : 1 / (1 + Math.exp(-x));
            case EXP -> Math.exp(x);
        };
    }

    /** erf via the complementary error function's continued-fraction-free Chebyshev fit (|err| < 1.2e-7). */
    public static double erf(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - r : r - 1;
    }

    @Override
    public void forward(Kind kind, float[] in, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = (float) f(kind, in[i]);
    }

    @Override
    public void backward(Kind kind, float[] in, float[] out, float[] gradOut, float[] gradIn, int n) {
        for (int i = 0; i < n; i++) gradIn[i] = (float) (df(kind, in[i]) * gradOut[i]);
    }
}
