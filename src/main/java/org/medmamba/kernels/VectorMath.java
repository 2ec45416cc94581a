package org.medmamba.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Whole-array transcendental passes with the Vector API (polynomial, no per-element calls).
 * Written as in-place loops over arrays rather than vector-valued helper methods: C2 boxes a
 * FloatVector returned from a method it declines to inline, which costs ~10×.
 */
final class VectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    private static final float LOG2E = 1.44269504088896341f;
    private static final float MAGIC = 12582912f;     // 1.5·2^23: adding it rounds to an integer held in the low mantissa bits
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** Minimax e^r ≈ 1 + E1·r + … + E5·r^5 on |r| ≤ ln2/2 (relative error 1.1e−7). */
    private static final float E1 = 0.9999998211860657f, E2 = 0.49999096989631653f, E3 = 0.16667281091213226f,
            E4 = 4.190408065915108e-2f, E5 = 8.313740603625774e-3f;

    private VectorMath() {}

    /**
     * 2^v lane-wise for v ≤ 0 (the scan's decays e^{Δ·A} = 2^{Δ·A·log2 e}, Δ > 0, A < 0), the one
     * copy the selective scan's backward and forward tail call (the forward's four-state body keeps
     * a written-out copy, see VectorSelectiveScan.scanChunk): the backward
     * replays the forward's states only if both compute the decays with the same operations.
     * v = k + r with k = round(v), |r| ≤ 1/2; 2^v = 2^k·p(r), 2^k added into the exponent field.
     * v below −125 is clamped there (2^−125 ≈ 2.4e−38, still normal). Max relative error 1.56e−7
     * on [−125, 0] (measured and asserted by ExpTest); {@link ScalarMath#exp2} is the same sequence in scalar
     * float and gives the same bits. A call that C2 does not inline boxes the vector (see the class comment).
     */
    static FloatVector exp2(FloatVector v) {
        v = v.max(ScalarMath.EXP2_FLOOR);
        FloatVector m = v.add(MAGIC);                              // round(v) in the low mantissa bits
        FloatVector r = v.sub(m.sub(MAGIC));
        FloatVector p = r.fma(ScalarMath.P5, ScalarMath.P4).fma(r, v.broadcast(ScalarMath.P3)).fma(r, v.broadcast(ScalarMath.P2))
                .fma(r, v.broadcast(ScalarMath.P1)).fma(r, v.broadcast(1f));
        return p.reinterpretAsInts().add(m.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
    }

    /** Largest index ≤ n that is a whole number of vectors from 0. */
    public static int vectorBound(int n) {
        return S.loopBound(n);
    }

    /**
     * x[i] = e^x[i] for i in [from, to); within 3e-7 relative. Lanes outside [−87.3, 88.3], where
     * the exponent-field trick would under- or overflow, are redone with Math.exp (rare).
     */
    public static void expInPlace(float[] x, int from, int to) {
        final FloatVector nLn2Hi = FloatVector.broadcast(S, -LN2_HI), nLn2Lo = FloatVector.broadcast(S, -LN2_LO);
        final FloatVector c3 = FloatVector.broadcast(S, E3), c2 = FloatVector.broadcast(S, E2);
        final FloatVector c1 = FloatVector.broadcast(S, E1), c0 = FloatVector.broadcast(S, 1f);
        int i = from, bound = from + S.loopBound(to - from);
        for (; i < bound; i += V) {
            FloatVector in = FloatVector.fromArray(S, x, i);
            FloatVector v = in.max(-87.3f).min(88.3f);
            FloatVector t = v.fma(LOG2E, MAGIC);
            FloatVector k = t.sub(MAGIC);                        // round(v / ln 2)
            FloatVector r = k.fma(nLn2Hi, v);
            r = k.fma(nLn2Lo, r);                                 // v − k·ln 2
            FloatVector p = r.fma(E5, E4).fma(r, c3).fma(r, c2).fma(r, c1).fma(r, c0);
            IntVector kBits = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
            p.reinterpretAsInts().add(kBits).reinterpretAsFloats().intoArray(x, i);
            VectorMask<Float> outside = in.compare(VectorOperators.LT, -87.3f).or(in.compare(VectorOperators.GT, 88.3f));
            if (outside.anyTrue())
                for (int l = 0; l < V; l++) if (outside.laneIsSet(l)) x[i + l] = (float) Math.exp(in.lane(l));
        }
        for (; i < to; i++) x[i] = (float) Math.exp(x[i]);
    }

    /** x[i] = log(1 + x[i]) for x[i] in [0, 1]; ~1 ulp (Cephes logf around 1). */
    public static void log1pUnitInPlace(float[] x, int from, int to) {
        final FloatVector p2 = FloatVector.broadcast(S, 1.1676998740E-1f), p3 = FloatVector.broadcast(S, -1.2420140846E-1f);
        final FloatVector p4 = FloatVector.broadcast(S, 1.4249322787E-1f), p5 = FloatVector.broadcast(S, -1.6668057665E-1f);
        final FloatVector p6 = FloatVector.broadcast(S, 2.0000714765E-1f), p7 = FloatVector.broadcast(S, -2.4999993993E-1f);
        final FloatVector p8 = FloatVector.broadcast(S, 3.3333331174E-1f);
        final FloatVector ln2Lo = FloatVector.broadcast(S, LN2_LO), ln2Hi = FloatVector.broadcast(S, LN2_HI);
        final FloatVector mHalf = FloatVector.broadcast(S, -0.5f), zero = FloatVector.zero(S);
        int i = from, bound = from + S.loopBound(to - from);
        for (; i < bound; i += V) {
            FloatVector z = FloatVector.fromArray(S, x, i);
            VectorMask<Float> big = z.compare(VectorOperators.GT, 0.41421356f);
            FloatVector m = z.blend(z.sub(1f).mul(0.5f), big);    // 1+z = 2·(1+m) when z > √2−1
            FloatVector e = zero.blend(1f, big);
            FloatVector m2 = m.mul(m);
            FloatVector y = m.fma(7.0376836292E-2f, -1.1514610310E-1f);
            y = y.fma(m, p2).fma(m, p3).fma(m, p4).fma(m, p5).fma(m, p6).fma(m, p7).fma(m, p8);
            y = y.mul(m).mul(m2);
            y = e.fma(ln2Lo, y);
            y = m2.fma(mHalf, y);
            e.fma(ln2Hi, m.add(y)).intoArray(x, i);
        }
        for (; i < to; i++) x[i] = (float) Math.log1p(x[i]);
    }
}
