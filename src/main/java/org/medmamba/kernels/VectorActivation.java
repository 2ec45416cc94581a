package org.medmamba.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector-API {@link Activation}: whole vectors with the JDK's vectorised EXP/LOG1P, a scalar tail,
 * and large arrays split across the shared pool.
 */
public final class VectorActivation implements Activation {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int GRAIN = 1 << 14;
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    // erf fit (Numerical Recipes erfc Chebyshev), matching ReferenceActivation.erf
    private static final float[] ERF_C = {-1.26551223f, 1.00002368f, 0.37409196f, 0.09678418f, -0.18628806f,
            0.27886807f, -1.13520398f, 1.48851587f, -0.82215223f, 0.17087277f};

    @Override
    public void forward(Kind kind, float[] in, float[] out, int n) {
        Parallel.range(n, GRAIN, (s, e) -> forwardRange(kind, in, out, s, e));
    }

    @Override
    public void backward(Kind kind, float[] in, float[] out, float[] gradOut, float[] gradIn, int n) {
        Parallel.range(n, GRAIN, (s, e) -> backwardRange(kind, in, out, gradOut, gradIn, s, e));
    }

    private static void forwardRange(Kind kind, float[] in, float[] out, int s, int e) {
        int i = s, bound = s + S.loopBound(e - s);
        for (; i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, in, i);
            f(kind, x).intoArray(out, i);
        }
        for (; i < e; i++) out[i] = (float) ReferenceActivation.f(kind, in[i]);
    }

    private static void backwardRange(Kind kind, float[] in, float[] out, float[] go, float[] gi, int s, int e) {
        int i = s, bound = s + S.loopBound(e - s);
        for (; i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, in, i);
            FloatVector g = FloatVector.fromArray(S, go, i);
            FloatVector d = switch (kind) {
                case RELU -> g.blend(0f, x.compare(VectorOperators.LE, 0f));
                case SILU -> {
                    FloatVector sig = sigmoid(x);
                    yield g.mul(sig.mul(x.mul(sig.neg().add(1f)).add(1f)));
                }
                case GELU -> {
                    FloatVector cdf = erf(x.mul((float) (1 / Math.sqrt(2)))).add(1f).mul(0.5f);
                    FloatVector pdf = x.mul(x).mul(-0.5f).lanewise(VectorOperators.EXP).mul((float) (1 / Math.sqrt(2 * Math.PI)));
                    yield g.mul(cdf.add(x.mul(pdf)));
                }
                case SOFTPLUS -> g.mul(sigmoid(x).blend(1f, x.compare(VectorOperators.GT, 20f)));
                case EXP -> g.mul(FloatVector.fromArray(S, out, i));
            };
            d.intoArray(gi, i);
        }
        for (; i < e; i++) gi[i] = (float) (ReferenceActivation.df(kind, in[i]) * go[i]);
    }

    private static FloatVector f(Kind kind, FloatVector x) {
        return switch (kind) {
            case RELU -> x.max(0f);
            case SILU -> x.mul(sigmoid(x));
            case GELU -> x.mul(0.5f).mul(erf(x.mul((float) (1 / Math.sqrt(2)))).add(1f));
            case SOFTPLUS -> {
                VectorMask<Float> big = x.compare(VectorOperators.GT, 20f);
                // min() keeps exp finite in lanes that the blend overwrites anyway
                FloatVector sp = x.min(20f).lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
                yield sp.blend(x, big);
            }
            case EXP -> x.lanewise(VectorOperators.EXP);
        };
    }

    private static FloatVector sigmoid(FloatVector x) {
        return ONE.div(x.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    private static FloatVector erf(FloatVector x) {
        FloatVector z = x.abs();
        FloatVector t = ONE.div(z.mul(0.5f).add(1f));
        FloatVector p = FloatVector.broadcast(S, ERF_C[9]);
        for (int c = 8; c >= 1; c--) p = p.fma(t, FloatVector.broadcast(S, ERF_C[c]));
        p = p.fma(t, FloatVector.broadcast(S, ERF_C[0]));
        FloatVector r = t.mul(z.mul(z).neg().add(p).lanewise(VectorOperators.EXP));
        FloatVector pos = r.neg().add(1f);
        return pos.blend(r.sub(1f), x.compare(VectorOperators.LT, 0f));
    }
}
