package org.medmamba.kernels;

/**
 * Scalar forms of the polynomial approximations the Vector-API kernels use, for references and
 * tests: each performs the same float operations in the same order as its vector counterpart,
 * so it gives the same bits.
 */
final class ScalarMath {
    /**
     * Minimax 2^r ≈ 1 + P1·r + … + P5·r^5 on |r| ≤ 1/2 (relative error 1.1e−7; 1.5e−7 evaluated in
     * float), fitted as VectorMath's e^r polynomial was.
     */
    static final float P1 = 0.6931470632553101f, P2 = 0.24022217094898224f, P3 = 0.0555061511695385f,
            P4 = 0.00967293232679367f, P5 = 0.0013302209554240108f;
    /** Exponents below −125 are clamped there: 2^−125 ≈ 2.4e−38 is still a normal float. */
    static final float EXP2_FLOOR = -125f;
    static final float MAGIC = 12582912f;     // 1.5·2^23: adding it rounds to an integer, kept in the low mantissa bits

    private ScalarMath() {}

    /** {@link VectorMath#exp2} for one float: 2^v for v ≤ 0, v clamped at −125. */
    static float exp2(float v) {
        v = Math.max(v, EXP2_FLOOR);
        float m = v + MAGIC;
        float r = v - (m - MAGIC);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, P5, P4), r, P3), r, P2), r, P1), r, 1f);
        return Float.intBitsToFloat(Float.floatToRawIntBits(p) + (Float.floatToRawIntBits(m) << 23));
    }
}
