package org.medmamba.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector-API {@link Activation}. Each activation is a few whole-array passes over chunks of
 * {@link #CHUNK} elements (elementwise vector loops and {@link VectorMath}'s polynomial exp /
 * log1p) with per-thread scratch, split across the shared pool.
 */
final class VectorActivation implements Activation {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final int CHUNK = 2048;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2)), INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    // erfc(z) ≈ t·exp(−z² + P(t)), t = 1/(1 + z/2) (Numerical Recipes' erfcc, |rel err| < 1.2e−7)
    private static final float[] ERF_C = {-1.26551223f, 1.00002368f, 0.37409196f, 0.09678418f, -0.18628806f,
            0.27886807f, -1.13520398f, 1.48851587f, -0.82215223f, 0.17087277f};
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][]{new float[CHUNK], new float[CHUNK]});

    @Override
    public void forward(Kind kind, float[] in, float[] out, int n) {
        Parallel.range((n + CHUNK - 1) / CHUNK, 4, (s, e) -> {
            float[][] sc = SCRATCH.get();
            for (int c = s; c < e; c++) forwardChunk(kind, in, out, c * CHUNK, Math.min(n, (c + 1) * CHUNK), sc[0], sc[1]);
        });
    }

    /** out[i] = f(x[i]) for i in [from, to), on the calling thread (for use inside other kernels' tasks). */
    static void forwardSerial(Kind kind, float[] x, float[] out, int from, int to) {
        float[][] sc = SCRATCH.get();
        for (int c = from; c < to; c += CHUNK) forwardChunk(kind, x, out, c, Math.min(to, c + CHUNK), sc[0], sc[1]);
    }

    @Override
    public void backward(Kind kind, float[] in, float[] out, float[] gradOut, float[] gradIn, int n) {
        Parallel.range((n + CHUNK - 1) / CHUNK, 4, (s, e) -> {
            float[][] sc = SCRATCH.get();
            for (int c = s; c < e; c++) backwardChunk(kind, in, out, gradOut, gradIn, c * CHUNK, Math.min(n, (c + 1) * CHUNK), sc[0], sc[1]);
        });
    }

    private static void forwardChunk(Kind kind, float[] x, float[] out, int from, int to, float[] t0, float[] t1) {
        int len = to - from, vb = S.loopBound(len);
        switch (kind) {
            case RELU -> {
                for (int i = 0; i < vb; i += V) FloatVector.fromArray(S, x, from + i).max(0f).intoArray(out, from + i);
            }
            case EXP -> {
                System.arraycopy(x, from, out, from, vb);
                VectorMath.expInPlace(out, from, from + vb);
            }
            case SILU -> {
                sigmoidInto(x, from, vb, t0);
                for (int i = 0; i < vb; i += V)
                    FloatVector.fromArray(S, x, from + i).mul(FloatVector.fromArray(S, t0, i)).intoArray(out, from + i);
            }
            case SOFTPLUS -> {
                // softplus(x) = max(x, 0) + log1p(e^−|x|); x > 20 → x (PyTorch's threshold)
                for (int i = 0; i < vb; i += V) FloatVector.fromArray(S, x, from + i).abs().neg().intoArray(t0, i);
                VectorMath.expInPlace(t0, 0, vb);
                VectorMath.log1pUnitInPlace(t0, 0, vb);
                for (int i = 0; i < vb; i += V) {
                    FloatVector v = FloatVector.fromArray(S, x, from + i);
                    v.max(0f).add(FloatVector.fromArray(S, t0, i)).blend(v, v.compare(VectorOperators.GT, 20f)).intoArray(out, from + i);
                }
            }
            case GELU -> {
                erfInto(x, from, vb, INV_SQRT2, t0, t1);
                for (int i = 0; i < vb; i += V) {
                    FloatVector v = FloatVector.fromArray(S, x, from + i);
                    v.mul(0.5f).mul(FloatVector.fromArray(S, t0, i).add(1f)).intoArray(out, from + i);
                }
            }
        }
        for (int i = from + vb; i < to; i++) out[i] = (float) ReferenceActivation.f(kind, x[i]);
    }

    private static void backwardChunk(Kind kind, float[] x, float[] out, float[] go, float[] gi, int from, int to, float[] t0, float[] t1) {
        int len = to - from, vb = S.loopBound(len);
        switch (kind) {
            case RELU -> {
                for (int i = 0; i < vb; i += V) {
                    FloatVector v = FloatVector.fromArray(S, x, from + i);
                    FloatVector.fromArray(S, go, from + i).blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(gi, from + i);
                }
            }
            case EXP -> {
                for (int i = 0; i < vb; i += V)
                    FloatVector.fromArray(S, go, from + i).mul(FloatVector.fromArray(S, out, from + i)).intoArray(gi, from + i);
            }
            case SILU -> {
                sigmoidInto(x, from, vb, t0);
                for (int i = 0; i < vb; i += V) {
                    FloatVector s = FloatVector.fromArray(S, t0, i), v = FloatVector.fromArray(S, x, from + i);
                    FloatVector d = s.mul(v.mul(s.neg().add(1f)).add(1f));      // σ·(1 + x·(1−σ))
                    FloatVector.fromArray(S, go, from + i).mul(d).intoArray(gi, from + i);
                }
            }
            case SOFTPLUS -> {
                sigmoidInto(x, from, vb, t0);
                for (int i = 0; i < vb; i += V) {
                    FloatVector v = FloatVector.fromArray(S, x, from + i);
                    FloatVector d = FloatVector.fromArray(S, t0, i).blend(1f, v.compare(VectorOperators.GT, 20f));
                    FloatVector.fromArray(S, go, from + i).mul(d).intoArray(gi, from + i);
                }
            }
            case GELU -> {
                erfInto(x, from, vb, INV_SQRT2, t0, t1);                       // t0 = erf(x/√2)
                for (int i = 0; i < vb; i += V) {
                    FloatVector v = FloatVector.fromArray(S, x, from + i);
                    v.mul(v).mul(-0.5f).intoArray(t1, i);
                }
                VectorMath.expInPlace(t1, 0, vb);                              // t1 = e^(−x²/2)
                for (int i = 0; i < vb; i += V) {
                    FloatVector v = FloatVector.fromArray(S, x, from + i);
                    FloatVector cdf = FloatVector.fromArray(S, t0, i).add(1f).mul(0.5f);
                    FloatVector d = v.mul(FloatVector.fromArray(S, t1, i)).mul(INV_SQRT_2PI).add(cdf);
                    FloatVector.fromArray(S, go, from + i).mul(d).intoArray(gi, from + i);
                }
            }
        }
        for (int i = from + vb; i < to; i++) gi[i] = (float) (ReferenceActivation.df(kind, x[i]) * go[i]);
    }

    /** dst[i] = σ(x[from+i]) = 1 / (1 + e^−x) for i in [0, n). */
    private static void sigmoidInto(float[] x, int from, int n, float[] dst) {
        for (int i = 0; i < n; i += V) FloatVector.fromArray(S, x, from + i).neg().intoArray(dst, i);
        VectorMath.expInPlace(dst, 0, n);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < n; i += V) one.div(FloatVector.fromArray(S, dst, i).add(1f)).intoArray(dst, i);
    }

    /** dst[i] = erf(scale · x[from+i]); tmp is scratch. */
    private static void erfInto(float[] x, int from, int n, float scale, float[] dst, float[] tmp) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector c0 = FloatVector.broadcast(S, ERF_C[0]), c1 = FloatVector.broadcast(S, ERF_C[1]), c2 = FloatVector.broadcast(S, ERF_C[2]),
                c3 = FloatVector.broadcast(S, ERF_C[3]), c4 = FloatVector.broadcast(S, ERF_C[4]), c5 = FloatVector.broadcast(S, ERF_C[5]),
                c6 = FloatVector.broadcast(S, ERF_C[6]), c7 = FloatVector.broadcast(S, ERF_C[7]), c8 = FloatVector.broadcast(S, ERF_C[8]),
                c9 = FloatVector.broadcast(S, ERF_C[9]);
        for (int i = 0; i < n; i += V) {
            FloatVector z = FloatVector.fromArray(S, x, from + i).mul(scale).abs();
            FloatVector t = one.div(z.fma(0.5f, 1f));
            FloatVector p = c9.fma(t, c8).fma(t, c7).fma(t, c6).fma(t, c5).fma(t, c4).fma(t, c3).fma(t, c2).fma(t, c1).fma(t, c0);
            z.mul(z).neg().add(p).intoArray(tmp, i);
            t.intoArray(dst, i);
        }
        VectorMath.expInPlace(tmp, 0, n);
        for (int i = 0; i < n; i += V) {
            FloatVector r = FloatVector.fromArray(S, dst, i).mul(FloatVector.fromArray(S, tmp, i));   // erfc(|z|)
            FloatVector v = FloatVector.fromArray(S, x, from + i);
            r.neg().add(1f).blend(r.sub(1f), v.compare(VectorOperators.LT, 0f)).intoArray(dst, i);
        }
    }
}
