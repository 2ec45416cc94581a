package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VectorGemmTest {
    private static final Gemm REF = new ReferenceGemm();
    /** Default (the tiniest problems take the scalar path) and one that sends every size through the tiles. */
    private static final Gemm DEFAULT = new VectorGemm();
    private static final Gemm PACKED = new VectorGemm(false);
    /** Both micro-tiles, whichever this machine's default is: 8×3 (AVX-512) and 6×2 (AVX2), every size tiled. */
    private static final Gemm WIDE = new VectorGemm(false, true), NARROW = new VectorGemm(false, false);

    /** One sgemm call laid out inside larger arrays: offsets and leading dims wider than the logical matrix. */
    private record Layout(boolean transA, boolean transB, int m, int n, int k,
                          int aOff, int lda, int bOff, int ldb, int cOff, int ldc) {
        static Layout of(boolean transA, boolean transB, int m, int n, int k, int pad) {
            int aCols = transA ? m : k, bCols = transB ? k : n;
            return new Layout(transA, transB, m, n, k, 3 * pad, aCols + pad, 5 * pad, bCols + 2 * pad, 7 * pad, n + pad);
        }
        int aLen() { return aOff + (transA ? k : m) * lda; }
        int bLen() { return bOff + (transB ? n : k) * ldb; }
        int cLen() { return cOff + m * ldc; }
        boolean inC(int idx) {
            int r = idx - cOff;
            return r >= 0 && r / ldc < m && r % ldc < n;
        }
    }

    private static float[] random(Random rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = rnd.nextFloat() * 2f - 1f;
        return x;
    }

    static Stream<Arguments> shapes() {
        int[][] mnk = {
                {1, 1, 1}, {2, 1, 300}, {1, 7, 33}, {7, 1, 35}, {7, 7, 7}, {33, 35, 97}, {35, 33, 100}, {97, 100, 129},
                {100, 129, 7}, {129, 97, 1}, {1, 129, 300}, {300, 1, 129}, {8, 48, 256}, {16, 96, 257},
                {48, 100, 432}, {17, 200, 600}, {300, 257, 513},
        };
        List<Arguments> out = new ArrayList<>();
        for (int[] s : mnk)
            for (int t = 0; t < 4; t++)
                out.add(Arguments.of(s[0], s[1], s[2], (t & 2) != 0, (t & 1) != 0));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("shapes")
    void matchesReference(int m, int n, int k, boolean transA, boolean transB) {
        Random rnd = new Random(31L * m + 17L * n + k + (transA ? 1000 : 0) + (transB ? 2000 : 0));
        Layout l = Layout.of(transA, transB, m, n, k, 3);
        float[] a = random(rnd, l.aLen()), b = random(rnd, l.bLen()), c0 = random(rnd, l.cLen());
        for (float beta : new float[] {0f, 1f}) {
            float[] want = c0.clone();
            REF.sgemm(transA, transB, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, beta, want, l.cOff, l.ldc);
            for (Gemm g : new Gemm[] {DEFAULT, PACKED, WIDE, NARROW}) {
                float[] got = c0.clone();
                if (beta == 0f) Arrays.fill(got, Float.NaN); // beta 0 must ignore old C, NaN included
                g.sgemm(transA, transB, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, beta, got, l.cOff, l.ldc);
                check(l, beta == 0f ? Float.NaN : null, c0, want, got, g + " beta=" + beta);
            }
        }
    }

    /** Inside the C window: close to the double reference. Outside: untouched (NaN for beta 0, else c0). */
    private static void check(Layout l, Float outside, float[] c0, float[] want, float[] got, String what) {
        // Float rounding of a k-term dot product grows roughly like sqrt(k) times the partial sums (~sqrt(k)/3 here).
        double tol = 5e-7 * Math.sqrt(l.k + 1) * (1 + Math.sqrt(l.k));
        for (int i = 0; i < got.length; i++) {
            if (l.inC(i)) {
                double err = Math.abs((double) got[i] - want[i]);
                if (!(err <= tol * (1 + Math.abs(want[i]))))
                    fail(what + " " + l + ": C[" + (i - l.cOff) / l.ldc + "," + (i - l.cOff) % l.ldc + "] = "
                            + got[i] + ", want " + want[i]);
            } else {
                float expect = outside != null ? outside : c0[i];
                if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(expect))
                    fail(what + " " + l + ": wrote outside C window at index " + i);
            }
        }
    }

    @Test
    void generalBetaScalesC() {
        Random rnd = new Random(7);
        int m = 37, n = 53, k = 71;
        float[] a = random(rnd, m * k), b = random(rnd, k * n), c0 = random(rnd, m * n);
        float[] want = c0.clone(), got = c0.clone();
        REF.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, 0.5f, want, 0, n);
        PACKED.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, 0.5f, got, 0, n);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])));
    }

    @Test
    void emptyInnerDimension() {
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        PACKED.sgemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
        assertTrue(Arrays.equals(new float[4], c), "k=0, beta=0 gives zeros");
        float[] d = {1, 2, 3, 4};
        PACKED.sgemm(true, true, 2, 2, 0, new float[0], 0, 2, new float[0], 0, 1, 1f, d, 0, 2);
        assertTrue(Arrays.equals(new float[] {1, 2, 3, 4}, d), "k=0, beta=1 leaves C alone");
    }

    /** Partition over threads must not change any element's summation order: results are bitwise equal. */
    @Test
    void threadCountDoesNotChangeBits() {
        int saved = Parallel.threads();
        try {
            int[][] shapes = {{300, 257, 513}, {48, 3136, 432}, {1000, 96, 100}};
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 2) != 0, tb = (t & 1) != 0;
                    Random rnd = new Random(99 + t);
                    Layout l = Layout.of(ta, tb, s[0], s[1], s[2], 1);
                    float[] a = random(rnd, l.aLen()), b = random(rnd, l.bLen()), c0 = random(rnd, l.cLen());
                    for (Gemm g : new Gemm[] {new VectorGemm(true, true), new VectorGemm(true, false)}) {
                        float[][] results = new float[3][];
                        int[] threads = {1, 2, 3};
                        for (int r = 0; r < threads.length; r++) {
                            Parallel.setThreads(threads[r]);
                            results[r] = c0.clone();
                            g.sgemm(ta, tb, l.m, l.n, l.k, a, l.aOff, l.lda, b, l.bOff, l.ldb, 1f, results[r], l.cOff, l.ldc);
                        }
                        for (int r = 1; r < threads.length; r++)
                            assertTrue(Arrays.equals(results[0], results[r]),
                                    threads[r] + " threads differ from 1 thread for " + l + " tile " + ((VectorGemm) g).tile());
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** Callers on different threads share the pool but must not share pack buffers. */
    @Test
    void concurrentCallersDoNotInterfere() throws Exception {
        int m = 200, n = 150, k = 300;
        Random rnd = new Random(5);
        float[][] as = new float[4][], bs = new float[4][], want = new float[4][];
        for (int t = 0; t < 4; t++) {
            as[t] = random(rnd, m * k);
            bs[t] = random(rnd, k * n);
            want[t] = new float[m * n];
            DEFAULT.sgemm(false, false, m, n, k, as[t], 0, k, bs[t], 0, n, 0f, want[t], 0, n);
        }
        Thread[] threads = new Thread[4];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int rep = 0; rep < 20; rep++) {
                        float[] got = new float[m * n];
                        DEFAULT.sgemm(false, false, m, n, k, as[id], 0, k, bs[id], 0, n, 0f, got, 0, n);
                        if (!Arrays.equals(want[id], got)) throw new AssertionError("caller " + id + " rep " + rep);
                    }
                } catch (Throwable e) {
                    synchronized (failure) { failure[0] = e; }
                }
            });
            threads[t].start();
        }
        for (Thread th : threads) th.join();
        if (failure[0] != null) fail(failure[0]);
    }
}
