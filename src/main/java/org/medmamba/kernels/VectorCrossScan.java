package org.medmamba.kernels;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import org.medmamba.kernels.VectorSelectiveScan.Scratch;

/**
 * Vector-API {@link CrossScan}. One task per (batch item, block of V channels) runs the four
 * directions one after another, so the merge into y is a plain sum in direction order and needs
 * no synchronisation. Per chunk of T steps it loads u straight from the channels-last grid (a
 * pixel's V channels are one vector, in any direction), projects Δ from the step's dt values,
 * then hands the chunk to {@link VectorSelectiveScan}'s softplus ({@code prepare}) and
 * recurrence ({@code scanChunk}) with B and C read in place from xdbl.
 */
final class VectorCrossScan implements CrossScan {
    private static final VectorSpecies<Float> S = VectorSelectiveScan.S;
    private static final int V = VectorSelectiveScan.V, T = VectorSelectiveScan.T;

    @Override
    public void forward(Dims dims, float[] u, float[] xdbl, float[] wdt, float[] deltaBias, float[] a, float[] dSkip, float[] y) {
        final int B = dims.batch(), H = dims.height(), W = dims.width(), D = dims.channels(), R = dims.rank(), N = dims.state();
        final int L = dims.length(), XD = dims.rowWidth(), nb = (D + V - 1) / V;
        check(dims, u, xdbl, wdt, deltaBias, a, dSkip, y);
        final int[][] maps = new int[4][L];
        for (int k = 0; k < 4; k++) for (int l = 0; l < L; l++) maps[k][l] = CrossScan.gridIndex(k, l, H, W);
        Parallel.range(B * nb, 1, (s, e) -> {
            Scratch sc = VectorSelectiveScan.SCRATCH.get();
            sc.ensure(1, N, 0, false);
            if (sc.wt.length < R * V) sc.wt = new float[R * V];
            for (int task = s; task < e; task++) {
                int bi = task / nb, d0 = (task % nb) * V, nc = Math.min(V, D - d0);
                VectorMask<Float> mask = nc == V ? null : S.indexInRange(0, nc);
                for (int k = 0; k < 4; k++) {
                    VectorSelectiveScan.loadBlockParams(sc, 0, N, k * D + d0, nc, a, deltaBias, dSkip);
                    Arrays.fill(sc.wt, 0, R * V, 0f);
                    for (int lane = 0; lane < nc; lane++)
                        for (int r = 0; r < R; r++) sc.wt[r * V + lane] = wdt[(k * D + d0 + lane) * R + r];
                    Arrays.fill(sc.h, 0, N * V, 0f);
                    int off = k * (R + 2 * N);
                    for (int l0 = 0; l0 < L; l0 += T) {
                        int tl = Math.min(T, L - l0);
                        for (int t = 0; t < tl; t++) {
                            int p = bi * L + maps[k][l0 + t];
                            sc.pos[t] = p * D + d0;
                            sc.rows[t] = p * XD + off;
                        }
                        loadChunk(sc, tl, R, u, xdbl, mask);
                        VectorSelectiveScan.prepare(sc, 0, tl, false);
                        VectorSelectiveScan.scanChunk(sc, tl, N, xdbl, R, xdbl, R + N);
                        storeChunk(sc, tl, y, k == 0, mask);
                    }
                }
            }
        });
    }

    /** ul[t] = u at step t; dl[t] = Σ_r wdt[:, r]·dt_t[r] (the bias is added by prepare). */
    private static void loadChunk(Scratch sc, int tl, int R, float[] u, float[] xdbl, VectorMask<Float> mask) {
        final float[] ul = sc.ul, dl = sc.dl, wt = sc.wt;
        final int[] pos = sc.pos, rows = sc.rows;
        for (int t = 0; t < tl; t++) {
            (mask == null ? FloatVector.fromArray(S, u, pos[t]) : FloatVector.fromArray(S, u, pos[t], mask)).intoArray(ul, t * V);
            int row = rows[t];
            FloatVector acc = FloatVector.fromArray(S, wt, 0).mul(xdbl[row]);
            for (int r = 1; r < R; r++) acc = FloatVector.fromArray(S, wt, r * V).fma(FloatVector.broadcast(S, xdbl[row + r]), acc);
            acc.intoArray(dl, t * V);
        }
    }

    /** y at step t's position = yl[t] (first direction) or += yl[t]. */
    private static void storeChunk(Scratch sc, int tl, float[] y, boolean first, VectorMask<Float> mask) {
        final float[] yl = sc.yl;
        final int[] pos = sc.pos;
        for (int t = 0; t < tl; t++) {
            FloatVector v = FloatVector.fromArray(S, yl, t * V);
            if (mask == null) {
                (first ? v : FloatVector.fromArray(S, y, pos[t]).add(v)).intoArray(y, pos[t]);
            } else {
                (first ? v : FloatVector.fromArray(S, y, pos[t], mask).add(v)).intoArray(y, pos[t], mask);
            }
        }
    }

    private static void check(Dims d, float[] u, float[] xdbl, float[] wdt, float[] deltaBias, float[] a, float[] dSkip, float[] y) {
        long bld = (long) d.batch() * d.length() * d.channels(), kd = 4L * d.channels();
        if (u.length < bld || y.length < bld || xdbl.length < (long) d.batch() * d.length() * d.rowWidth()
                || wdt.length < kd * d.rank() || deltaBias.length < kd || dSkip.length < kd || a.length < kd * d.state())
            throw new IllegalArgumentException("cross scan: an array is too small for " + d);
    }
}
