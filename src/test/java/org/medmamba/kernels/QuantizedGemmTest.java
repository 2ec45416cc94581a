package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm#sgemmQuantized}: the GEMM whose B panels are packed straight from int8 / int4
 * weights. Its contract is exact — bit for bit the float GEMM on the dequantised weights — so
 * that is what is asserted, at odd sizes (ragged row and column panels, k blocks, groups cut by a
 * k block), in W's own column order and in a convolution's tap-major order; plus the plain
 * reference within float rounding, and thread-count determinism.
 */
class QuantizedGemmTest {
    static final int[][] MNK = {
            {1, 1, 1}, {9, 1, 1}, {9, 7, 33}, {33, 35, 97}, {100, 129, 65}, {13, 200, 600}, {49, 50, 1030}, {300, 257, 513},
    };
    static final int[] GROUPS = {2, 6, 32, 64, 128};

    @BeforeAll
    static void vectorApi() {
        assumeTrue(Kernels.vectorApiAvailable(), "Vector API not available");
    }

    static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /** op(B) as floats, k × n row-major: element (p, j) = W[j][col(p)]. */
    static float[] dequantised(QuantizedMatrix w, int[] columns) {
        int n = w.rows(), k = columns == null ? w.cols() : columns.length;
        float[] b = new float[k * n];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++) b[p * n + j] = w.get(j, columns == null ? p : columns[p]);
        return b;
    }

    /** The im2col order of {@link VectorChannelsLastConv3x3}: p = tap·Cin + ci reads column ci·9 + tap. */
    static int[] tapMajor(int cin) {
        int[] order = VectorChannelsLastConv3x3.tapOrder(cin);
        for (int t = 0; t < 9; t++)
            for (int ci = 0; ci < cin; ci++) assertTrue(order[t * cin + ci] == ci * 9 + t);
        return order;
    }

    /** Runs both products inside padded arrays (offsets, lda, ldc wider than the matrices) and compares every float. */
    static void assertSameAsFloat(Gemm g, int m, QuantizedMatrix w, int[] columns, long seed, String what) {
        Random r = new Random(seed);
        int n = w.rows(), k = columns == null ? w.cols() : columns.length, lda = k + 3, ldc = n + 2, aOff = 5, cOff = 7;
        float[] a = random(r, aOff + m * lda), c0 = random(r, cOff + m * ldc), b = dequantised(w, columns);
        for (float beta : new float[]{0f, 1f}) {
            float[] want = c0.clone(), got = c0.clone();
            g.sgemm(false, false, m, n, k, a, aOff, lda, b, 0, n, beta, want, cOff, ldc);
            g.sgemmQuantized(m, a, aOff, lda, w, columns, beta, got, cOff, ldc);
            assertArrayEquals(want, got, 0f, what + " beta " + beta);
        }
    }

    @Test
    void equalsTheFloatGemmOnTheDequantisedWeightsBitForBit() {
        Random r = new Random(17);
        int cases = 0;
        for (Gemm g : new Gemm[]{new VectorGemm(), new VectorGemm(false), new VectorGemm(false, true), new VectorGemm(false, false)})
            for (int[] s : MNK)
                for (int bits : new int[]{8, 4})
                    for (int group : bits == 8 ? new int[]{0} : GROUPS) {
                        QuantizedMatrix w = QuantDotTest.random(r, s[1], s[2], bits, group);
                        assertSameAsFloat(g, s[0], w, null, r.nextLong(), "int" + bits + " g" + group + " " + Arrays.toString(s));
                        cases++;
                    }
        assertTrue(cases == 4 * MNK.length * (1 + GROUPS.length));
    }

    @Test
    void readsColumnsInAConvolutionsTapMajorOrder() {
        Random r = new Random(23);
        for (int cin : new int[]{1, 3, 7, 17, 64})
            for (int cout : new int[]{1, 5, 49})
                for (int bits : new int[]{8, 4})
                    for (int group : bits == 8 ? new int[]{0} : GROUPS) {
                        QuantizedMatrix w = QuantDotTest.random(r, cout, 9 * cin, bits, group);
                        for (int m : new int[]{1, 10, 67})
                            assertSameAsFloat(new VectorGemm(), m, w, tapMajor(cin), r.nextLong(),
                                    "tap-major int" + bits + " g" + group + " cin " + cin + " cout " + cout + " m " + m);
                    }
    }

    @Test
    void anyColumnOrderWithRepeatsAndGaps() {
        Random r = new Random(29);
        for (int bits : new int[]{8, 4}) {
            QuantizedMatrix w = QuantDotTest.random(r, 31, 77, bits, 32);
            int[] columns = new int[45];
            for (int p = 0; p < columns.length; p++) columns[p] = r.nextInt(77);
            assertSameAsFloat(new VectorGemm(false), 20, w, columns, 3, "random order int" + bits);
        }
    }

    @Test
    void matchesThePlainReference() {
        Random r = new Random(31);
        Gemm ref = new ReferenceGemm(), vec = new VectorGemm();
        for (int bits : new int[]{8, 4})
            for (int[] s : new int[][]{{9, 7, 33}, {37, 53, 130}}) {
                QuantizedMatrix w = QuantDotTest.random(r, s[1], s[2], bits, 32);
                float[] x = random(r, s[0] * s[2]);
                float[] want = new float[s[0] * s[1]], got = new float[s[0] * s[1]];
                ref.sgemmQuantized(s[0], x, 0, s[2], w, null, 0f, want, 0, s[1]);
                vec.sgemmQuantized(s[0], x, 0, s[2], w, null, 0f, got, 0, s[1]);
                QuantDotTest.check("reference int" + bits, s[0], x, w, want);
                QuantDotTest.check("vector int" + bits, s[0], x, w, got);
            }
    }

    @Test
    void threadCountDoesNotChangeBits() {
        int saved = Parallel.threads();
        try {
            Random r = new Random(37);
            for (int bits : new int[]{8, 4}) {
                QuantizedMatrix w = QuantDotTest.random(r, 257, 9 * 61, bits, 64);
                float[] a = random(r, 300 * 9 * 61);
                float[][] out = new float[3][];
                for (int t = 1; t <= 3; t++) {
                    Parallel.setThreads(t);
                    out[t - 1] = new float[300 * 257];
                    new VectorGemm().sgemmQuantized(300, a, 0, 9 * 61, w, tapMajor(61), 0f, out[t - 1], 0, 257);
                }
                assertArrayEquals(out[0], out[1], 0f, "int" + bits + " 2 threads");
                assertArrayEquals(out[0], out[2], 0f, "int" + bits + " 3 threads");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void aColumnOrderOutsideTheMatrixIsRefused() {
        QuantizedMatrix w = QuantDotTest.random(new Random(1), 4, 10, 8, 0);
        for (Gemm g : new Gemm[]{new ReferenceGemm(), new VectorGemm()}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> g.sgemmQuantized(2, new float[20], 0, 2, w, new int[]{3, 10}, 0f, new float[8], 0, 4));
            assertTrue(e.getMessage().contains("column order entry 1 is 10"), e.getMessage());
        }
    }
}
