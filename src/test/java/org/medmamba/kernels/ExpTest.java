package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.junit.jupiter.api.Test;

/**
 * The scan's decay 2^v: {@link VectorMath#exp2} against Math.pow, {@link ScalarMath#exp2} against it
 * bit for bit, and the copy written out in {@link VectorSelectiveScan#scanChunk}'s four-state loop
 * against exp2 bit for bit (the backward replays the forward's states with exp2, so the two must
 * not drift apart).
 */
class ExpTest {
    /**
     * Max relative error of exp2 on [−125, 0] as measured on the grid below: 1.5512e−7 (at −100.24;
     * the fit's 1.1e−7 plus float evaluation). Asserted at that value, so a worse polynomial fails.
     */
    static final double EXP2_MAX_REL_ERR = 1.552e-7;

    private static float[] exp2(VectorSpecies<Float> s, float[] in) {
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i += s.length())
            VectorMath.exp2(FloatVector.fromArray(s, in, i)).intoArray(out, i);
        return out;
    }

    /** A dense grid of [−125, 0] (step 2^−12, 512k points) plus random points, padded to whole vectors. */
    private static float[] grid(int v) {
        int dense = 125 * 4096 + 1, n = (dense + 100_000 + v - 1) / v * v;
        float[] x = new float[n];
        Random r = new Random(5);
        for (int i = 0; i < n; i++) x[i] = i < dense ? -i / 4096f : -125f * r.nextFloat();
        return x;
    }

    @Test
    void exp2WithinMeasuredBoundOnItsRange() {
        VectorSpecies<Float> s = VectorMath.S;
        float[] x = grid(s.length()), y = exp2(s, x);
        double worst = 0;
        float at = 0;
        for (int i = 0; i < x.length; i++) {
            double want = Math.pow(2, x[i]), e = Math.abs(y[i] - want) / want;
            if (e > worst) { worst = e; at = x[i]; }
            if (x[i] == Math.rint(x[i])) assertEquals((float) want, y[i], "2^k is exact at k=" + x[i]);
        }
        System.out.println("exp2 max relative error on [-125, 0]: " + worst + " at " + at);
        assertTrue(worst <= EXP2_MAX_REL_ERR, "max relative error " + worst + " at " + at);
        assertTrue(worst > 0.5e-7, "error bound not tight: " + worst);   // the bound is measured, not a guess
    }

    @Test
    void exp2EdgeValues() {
        VectorSpecies<Float> s = VectorMath.S;
        float[] edge = {0f, -0f, -Float.MIN_VALUE, -1e-30f, -1e-7f, -0.5f, -0.5000001f, -124.99999f, -125f,
                Math.nextDown(-125f), -126f, -149f, -1000f, -Float.MAX_VALUE, Float.NEGATIVE_INFINITY};
        float[] x = new float[(edge.length + s.length() - 1) / s.length() * s.length()];
        System.arraycopy(edge, 0, x, 0, edge.length);
        float[] y = exp2(s, x);
        assertEquals(1f, y[0], "2^0");
        assertEquals(1f, y[1], "2^-0");
        assertEquals(1f, y[2], "2^-tiny");
        assertEquals(1f, y[3], "2^-1e-30");
        for (int i = 4; i < 8; i++)
            assertTrue(Math.abs(y[i] - Math.pow(2, x[i])) <= EXP2_MAX_REL_ERR * Math.pow(2, x[i]), "2^" + x[i] + " = " + y[i]);
        for (int i = 8; i < edge.length; i++)   // at and below the floor: clamped to 2^−125, still a normal float
            assertEquals(0x1p-125f, y[i], "2^" + x[i] + " clamps to 2^-125");
        assertTrue(Float.MIN_NORMAL < 0x1p-125f);
    }

    /** The scalar form gives the vector form's bits, lane for lane, on the grid and at the edges. */
    @Test
    void scalarExp2EqualsVectorExp2BitForBit() {
        VectorSpecies<Float> s = VectorMath.S;
        float[] x = grid(s.length());
        float[] extra = {0f, -0f, -Float.MIN_VALUE, Math.nextDown(-125f), -1000f, Float.NEGATIVE_INFINITY, 3e-8f};
        System.arraycopy(extra, 0, x, x.length - extra.length, extra.length);
        float[] y = exp2(s, x);
        for (int i = 0; i < x.length; i++)
            if (Float.floatToRawIntBits(ScalarMath.exp2(x[i])) != Float.floatToRawIntBits(y[i]))
                throw new AssertionError("exp2(" + x[i] + "): scalar " + ScalarMath.exp2(x[i]) + ", vector " + y[i]);
    }

    /**
     * scanChunk's four-state body (N multiple of 4) and its one-state tail, which calls
     * VectorMath.exp2, against the recurrence computed here with {@link VectorSelectiveScan#decays}
     * (the backward's exp2 path): identical floats for y and the carried state. N = 4, 8, 16 run
     * the written-out copy only, N = 5, 7 both, N = 3 the tail only.
     */
    @Test
    void scanChunkDecaysEqualExp2BitForBit() {
        VectorSpecies<Float> s = VectorSelectiveScan.S;
        int v = s.length(), T = VectorSelectiveScan.T;
        Random r = new Random(11);
        for (int N : new int[]{4, 8, 16, 5, 7, 3})
            for (int tl : new int[]{1, 7, T}) {
                VectorSelectiveScan.Scratch sc = new VectorSelectiveScan.Scratch();
                sc.ensure(1, N, 1, true);
                float[] b = new float[tl * N + 3], c = new float[tl * N + 5];
                for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
                for (int i = 0; i < c.length; i++) c[i] = (float) r.nextGaussian();
                for (int t = 0; t < tl; t++) sc.rows[t] = t * N;
                for (int i = 0; i < tl * v; i++) {
                    // Δ from 1e−4 to ~50, A·log2 e down to −20: exponents from ~0 to far below the −125 floor
                    sc.dl[i] = (float) Math.exp(9 * r.nextDouble() - 9.2 + (i % 5 == 0 ? 13 : 0));
                    sc.dul[i] = (float) r.nextGaussian();
                    sc.ul[i] = (float) r.nextGaussian();
                }
                for (int i = 0; i < N * v; i++) {
                    sc.at2[i] = i % 7 == 3 ? 0f : (float) (-Math.exp(3 * r.nextDouble()) * 1.44269504088896341);   // 0: a padding lane
                    sc.h[i] = (float) r.nextGaussian();
                }
                for (int i = 0; i < v; i++) sc.skip[i] = (float) r.nextGaussian();
                float[] h0 = sc.h.clone();

                // expected: the decays from exp2, then the same fma recurrence in the same n order
                float[] as = new float[tl * N * v], h = h0.clone(), y = new float[tl * v];
                VectorSelectiveScan.decays(sc.dl, tl, sc.at2, 0, N, as);
                FloatVector skip = FloatVector.fromArray(s, sc.skip, 0);
                for (int t = 0; t < tl; t++) skip.mul(FloatVector.fromArray(s, sc.ul, t * v)).intoArray(y, t * v);
                for (int n = 0; n < N; n++) {
                    FloatVector hn = FloatVector.fromArray(s, h, n * v);
                    for (int t = 0; t < tl; t++) {
                        FloatVector e = FloatVector.fromArray(s, as, (t * N + n) * v), dtu = FloatVector.fromArray(s, sc.dul, t * v);
                        hn = dtu.fma(FloatVector.broadcast(s, b[t * N + 1 + n]), e.mul(hn));
                        hn.fma(FloatVector.broadcast(s, c[t * N + 2 + n]), FloatVector.fromArray(s, y, t * v)).intoArray(y, t * v);
                    }
                    hn.intoArray(h, n * v);
                }

                VectorSelectiveScan.scanChunk(sc, tl, N, b, 1, c, 2);
                for (int i = 0; i < tl * v; i++)
                    assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(sc.yl[i]),
                            "N=" + N + " tl=" + tl + " y[" + i + "]: scanChunk " + sc.yl[i] + ", exp2 recurrence " + y[i]);
                for (int i = 0; i < N * v; i++)
                    assertEquals(Float.floatToRawIntBits(h[i]), Float.floatToRawIntBits(sc.h[i]), "N=" + N + " tl=" + tl + " h[" + i + "]");
            }
    }
}
