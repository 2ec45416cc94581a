package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.medmamba.kernels.CrossScan.Dims;

class CrossScanTest {

    /** Random inputs for one problem; A as −exp(log(n+1) + noise) like a trained MedMamba. */
    record Inputs(Dims dims, float[] u, float[] xdbl, float[] wdt, float[] bias, float[] a, float[] skip) {
        static Inputs random(Dims d, long seed) {
            Random r = new Random(seed);
            int D = d.channels(), N = d.state(), R = d.rank(), BL = d.batch() * d.length();
            float[] a = new float[4 * D * N];
            for (int e = 0; e < 4 * D; e++)
                for (int n = 0; n < N; n++) a[e * N + n] = (float) -Math.exp(Math.log(n + 1) + 0.1 * r.nextGaussian());
            return new Inputs(d, gauss(r, BL * D, 1, 0), gauss(r, BL * d.rowWidth(), 1, 0), gauss(r, 4 * D * R, 0.5, 0),
                    gauss(r, 4 * D, 0.5, -2), a, gauss(r, 4 * D, 1, 1));
        }

        float[] run(CrossScan k) {
            float[] y = new float[u.length];
            java.util.Arrays.fill(y, Float.NaN);   // the kernel must overwrite, not accumulate
            k.forward(dims, u, xdbl, wdt, bias, a, skip, y);
            return y;
        }
    }

    private static float[] gauss(Random r, int n, double sd, double mean) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (mean + sd * r.nextGaussian());
        return x;
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new Dims(1, 4, 4, 16, 1, 4)),      // one whole vector of channels
                Arguments.of(new Dims(2, 5, 7, 20, 2, 16)),     // partial channel block, H ≠ W
                Arguments.of(new Dims(1, 9, 3, 48, 3, 6)),      // N not a multiple of 4
                Arguments.of(new Dims(2, 12, 11, 33, 3, 16)),   // L > one 64-step chunk, ragged tail
                Arguments.of(new Dims(1, 1, 70, 7, 4, 5)),      // a single row: row- and column-major coincide
                Arguments.of(new Dims(3, 7, 7, 96, 6, 16)));    // MedMamba stage-4 grid
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void vectorMatchesReference(Dims d) {
        Inputs in = Inputs.random(d, 31L * d.length() + d.channels());
        float[] ref = in.run(new ReferenceCrossScan()), vec = in.run(new VectorCrossScan());
        double maxRef = 0, maxErr = 0;
        for (int i = 0; i < ref.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            maxErr = Math.max(maxErr, Math.abs(ref[i] - vec[i]));
        }
        assertTrue(maxRef > 0.5, "non-trivial output");
        assertTrue(maxErr <= 2e-6 * maxRef, "max |vector − reference| = " + maxErr + " (max |y| " + maxRef + ")");
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        Inputs in = Inputs.random(new Dims(2, 8, 9, 40, 2, 16), 5);
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = in.run(new VectorCrossScan());
            Parallel.setThreads(3);
            float[] three = in.run(new VectorCrossScan());
            for (int i = 0; i < one.length; i++) assertEquals(Float.floatToIntBits(one[i]), Float.floatToIntBits(three[i]), "index " + i);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * The reference against the definition it abbreviates: cross-scan u, project Δ per direction,
     * run {@link ReferenceSelectiveScan} on the (B, 4·D, L) sequences, and cross-merge.
     */
    @Test
    void equalsSelectiveScanOnCrossScannedSequences() {
        Dims d = new Dims(2, 5, 6, 8, 2, 4);
        Inputs in = Inputs.random(d, 77);
        int B = d.batch(), D = d.channels(), L = d.length(), R = d.rank(), N = d.state(), XD = d.rowWidth();
        float[] us = new float[B * 4 * D * L], delta = new float[us.length];
        float[] bs = new float[B * 4 * L * N], cs = new float[bs.length];
        for (int b = 0; b < B; b++)
            for (int k = 0; k < 4; k++)
                for (int l = 0; l < L; l++) {
                    int p = b * L + CrossScan.gridIndex(k, l, d.height(), d.width()), row = p * XD + k * (R + 2 * N);
                    for (int ch = 0; ch < D; ch++) {
                        int e = k * D + ch;
                        us[(b * 4 * D + e) * L + l] = in.u()[p * D + ch];
                        double v = 0;
                        for (int r = 0; r < R; r++) v += (double) in.wdt()[e * R + r] * in.xdbl()[row + r];
                        delta[(b * 4 * D + e) * L + l] = (float) v;
                    }
                    for (int n = 0; n < N; n++) {
                        bs[((b * 4 + k) * L + l) * N + n] = in.xdbl()[row + R + n];
                        cs[((b * 4 + k) * L + l) * N + n] = in.xdbl()[row + R + N + n];
                    }
                }
        float[] ys = new float[us.length];
        new ReferenceSelectiveScan().forward(new SelectiveScan.Dims(B, 4, D, L, N), us, delta, in.a(), bs, cs, in.skip(), in.bias(), ys);
        float[] expect = new float[B * L * D];
        for (int b = 0; b < B; b++)
            for (int k = 0; k < 4; k++)
                for (int l = 0; l < L; l++)
                    for (int ch = 0; ch < D; ch++)
                        expect[(b * L + CrossScan.gridIndex(k, l, d.height(), d.width())) * D + ch] += ys[(b * 4 * D + k * D + ch) * L + l];
        float[] got = in.run(new ReferenceCrossScan());
        for (int i = 0; i < got.length; i++) assertEquals(expect[i], got[i], 1e-5 * (1 + Math.abs(expect[i])), "index " + i);
    }

    @Test
    void directionsVisitTheGridAsDocumented() {
        // 2×3 grid: row-major 0 1 2 3 4 5; column-major 0 3 1 4 2 5; the others reversed
        int[][] want = {{0, 1, 2, 3, 4, 5}, {0, 3, 1, 4, 2, 5}, {5, 4, 3, 2, 1, 0}, {5, 2, 4, 1, 3, 0}};
        for (int k = 0; k < 4; k++)
            for (int l = 0; l < 6; l++) assertEquals(want[k][l], CrossScan.gridIndex(k, l, 2, 3), "k=" + k + " l=" + l);
    }
}
