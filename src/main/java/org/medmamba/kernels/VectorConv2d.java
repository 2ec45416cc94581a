package org.medmamba.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fast {@link Conv2d}.
 * <ul>
 * <li>Dense and grouped convolutions: im2col + {@link Gemm} per image (and per group), in
 *     output-row tiles so the column buffer stays under {@link #COLS_CAP} floats. A 1×1 stride-1
 *     unpadded convolution skips im2col: the NCHW image already is the (inC × H·W) matrix.</li>
 * <li>Depthwise (groups == inC == outC): direct Vector API kernels on a zero-padded copy of each
 *     plane, so no border cases survive into the inner loops; 3×3 stride 1 pad 1 has a fully
 *     unrolled path, any other kernel/stride/pad a generic one.</li>
 * </ul>
 * Determinism: every output element is computed by one code path whose order of operations
 * depends only on the geometry, never on the thread count. Float lane reductions are done by
 * storing lanes and summing them in index order (reduceLanes may reorder). dWeight over the
 * batch is summed in at most {@link #WEIGHT_PARTIALS} contiguous batch chunks (a count fixed by the
 * geometry), then the chunks are added in order. This assumes the supplied {@link Gemm} is itself deterministic for given
 * arguments (whether it is called from a pool worker or not).
 */
final class VectorConv2d implements Conv2d {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** im2col scratch cap per thread, in floats (8 MiB); larger images go in output-row tiles. */
    static final int COLS_CAP = 1 << 21;
    /**
     * Number of batch chunks whose dWeight partials are summed at the end. A constant, not the
     * thread count, so the summation order (and thus every bit of the result) is thread-independent.
     */
    static final int WEIGHT_PARTIALS = 8;
    /** Cap on the floats held by dWeight partials; big weights get fewer chunks (the gemm parallelises instead). */
    static final int PARTIALS_CAP = 1 << 22;

    private final Gemm gemm;
    private final int colsCap;
    /** Shared by all instances (one network has many conv layers): a thread runs one call body at a time. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers, grown on demand and kept, so steady-state calls do not allocate. */
    private static final class Scratch {
        float[] cols = new float[0];     // im2col / dcols tile
        float[] plane = new float[0];    // zero-padded input plane (depthwise)
        float[] plane2 = new float[0];   // second padded plane (depthwise dy / dx)
        float[] partials = new float[0]; // dWeight batch-chunk partials; owned by the calling thread
        final double[] taps = new double[64];
        final float[] lanes = new float[VL];

        float[] cols(int n) { return cols.length >= n ? cols : (cols = new float[n]); }
        float[] partials(int n) { return partials.length >= n ? partials : (partials = new float[n]); }
    }

    public VectorConv2d(Gemm gemm) {
        this(gemm, COLS_CAP);
    }

    /** Tests use a tiny cap to exercise the row-tiled im2col path on small images. */
    VectorConv2d(Gemm gemm, int colsCap) {
        this.gemm = java.util.Objects.requireNonNull(gemm);
        if (colsCap < 1) throw new IllegalArgumentException("colsCap " + colsCap);
        this.colsCap = colsCap;
    }

    // ---------------------------------------------------------------- public API

    @Override
    public void forward(Geometry g, float[] x, float[] weight, float[] bias, float[] y) {
        checkIn(g, x, "x");
        checkWeight(g, weight, "weight");
        checkOut(g, y, "y");
        if (bias != null) need(bias, g.outC(), "bias");
        if (g.depthwise()) {
            dwForward(g, x, weight, bias, y);
            return;
        }
        final int n = g.outH() * g.outW(), outW = g.outW(), grps = g.groups();
        final int inCg = g.inC() / grps, outCg = g.outC() / grps, kg = inCg * g.kh() * g.kw();
        final int hw = g.h() * g.w(), rows = tileRows(g, kg);
        Parallel.range(g.batch(), 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                for (int grp = 0; grp < grps; grp++) {
                    int yOff = (b * g.outC() + grp * outCg) * n;
                    int wOff = grp * outCg * kg;
                    if (pointwise(g)) {
                        gemm.sgemm(false, false, outCg, n, inCg, weight, wOff, inCg,
                                x, (b * g.inC() + grp * inCg) * hw, hw, 0f, y, yOff, n);
                        continue;
                    }
                    float[] cols = SCRATCH.get().cols(kg * rows * outW);
                    for (int r0 = 0; r0 < g.outH(); r0 += rows) {
                        int r1 = Math.min(g.outH(), r0 + rows), tn = (r1 - r0) * outW;
                        im2col(g, x, (b * g.inC() + grp * inCg) * hw, inCg, r0, r1, cols);
                        gemm.sgemm(false, false, outCg, tn, kg, weight, wOff, kg,
                                cols, 0, tn, 0f, y, yOff + r0 * outW, n);
                    }
                }
                if (bias != null) {
                    final int bb = b;
                    Parallel.range(g.outC(), 8, (o0, o1) -> {
                        for (int o = o0; o < o1; o++) addScalar(y, (bb * g.outC() + o) * n, n, bias[o]);
                    });
                }
            }
        });
    }

    @Override
    public void backwardInput(Geometry g, float[] dy, float[] weight, float[] dx) {
        checkOut(g, dy, "dy");
        checkWeight(g, weight, "weight");
        checkIn(g, dx, "dx");
        if (g.depthwise()) {
            dwBackwardInput(g, dy, weight, dx);
            return;
        }
        final int n = g.outH() * g.outW(), outW = g.outW(), grps = g.groups();
        final int inCg = g.inC() / grps, outCg = g.outC() / grps, kg = inCg * g.kh() * g.kw();
        final int hw = g.h() * g.w(), rows = tileRows(g, kg);
        Parallel.range(g.batch(), 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                if (!pointwise(g)) Arrays.fill(dx, b * g.inC() * hw, (b + 1) * g.inC() * hw, 0f);
                for (int grp = 0; grp < grps; grp++) {
                    int dyOff = (b * g.outC() + grp * outCg) * n;
                    int dxOff = (b * g.inC() + grp * inCg) * hw;
                    int wOff = grp * outCg * kg;
                    if (pointwise(g)) {
                        gemm.sgemm(true, false, inCg, n, outCg, weight, wOff, inCg,
                                dy, dyOff, n, 0f, dx, dxOff, hw);
                        continue;
                    }
                    float[] cols = SCRATCH.get().cols(kg * rows * outW);
                    // Row tiles of one image overlap in dx, so they stay on this thread, in order.
                    for (int r0 = 0; r0 < g.outH(); r0 += rows) {
                        int r1 = Math.min(g.outH(), r0 + rows), tn = (r1 - r0) * outW;
                        gemm.sgemm(true, false, kg, tn, outCg, weight, wOff, kg,
                                dy, dyOff + r0 * outW, n, 0f, cols, 0, tn);
                        col2im(g, cols, dx, dxOff, inCg, r0, r1);
                    }
                }
            }
        });
    }

    @Override
    public void backwardWeight(Geometry g, float[] x, float[] dy, float[] dWeight, float[] dBias) {
        checkIn(g, x, "x");
        checkOut(g, dy, "dy");
        checkWeight(g, dWeight, "dWeight");
        if (dBias != null) need(dBias, g.outC(), "dBias");
        if (g.depthwise()) {
            dwBackwardWeight(g, x, dy, dWeight, dBias);
            return;
        }
        final int n = g.outH() * g.outW(), outW = g.outW(), grps = g.groups(), batch = g.batch();
        final int inCg = g.inC() / grps, outCg = g.outC() / grps, kg = inCg * g.kh() * g.kw();
        final int hw = g.h() * g.w(), rows = tileRows(g, kg), wsize = g.outC() * kg;
        final int parts = Math.min(batch, Math.min(WEIGHT_PARTIALS, 1 + PARTIALS_CAP / wsize));
        // Chunk 0 writes straight into dWeight; chunks 1.. into the caller's partial buffers.
        final float[] part = SCRATCH.get().partials((parts - 1) * wsize);
        Parallel.range(parts, 1, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                float[] dst = p == 0 ? dWeight : part;
                int dstOff = p == 0 ? 0 : (p - 1) * wsize;
                int bs = (int) ((long) p * batch / parts), be = (int) ((long) (p + 1) * batch / parts);
                for (int b = bs; b < be; b++)
                    for (int grp = 0; grp < grps; grp++) {
                        int dyOff = (b * g.outC() + grp * outCg) * n;
                        int xOff = (b * g.inC() + grp * inCg) * hw;
                        int cOff = dstOff + grp * outCg * kg;
                        if (pointwise(g)) {
                            gemm.sgemm(false, true, outCg, inCg, n, dy, dyOff, n, x, xOff, hw,
                                    b == bs ? 0f : 1f, dst, cOff, kg);
                            continue;
                        }
                        float[] cols = SCRATCH.get().cols(kg * rows * outW);
                        for (int r0 = 0; r0 < g.outH(); r0 += rows) {
                            int r1 = Math.min(g.outH(), r0 + rows), tn = (r1 - r0) * outW;
                            im2col(g, x, xOff, inCg, r0, r1, cols);
                            gemm.sgemm(false, true, outCg, kg, tn, dy, dyOff + r0 * outW, n, cols, 0, tn,
                                    b == bs && r0 == 0 ? 0f : 1f, dst, cOff, kg);
                        }
                    }
            }
        });
        if (parts > 1)
            Parallel.range(wsize, 1 << 14, (e0, e1) -> {
                for (int p = 1; p < parts; p++) addInto(dWeight, e0, part, (p - 1) * wsize + e0, e1 - e0);
            });
        if (dBias != null)
            Parallel.range(g.outC(), 1, (o0, o1) -> {
                float[] lanes = SCRATCH.get().lanes;
                for (int o = o0; o < o1; o++) {
                    double s = 0;
                    for (int b = 0; b < batch; b++) s += sum(dy, (b * g.outC() + o) * n, n, lanes);
                    dBias[o] = (float) s;
                }
            });
    }

    // ---------------------------------------------------------------- im2col path

    private static boolean pointwise(Geometry g) {
        return g.kh() == 1 && g.kw() == 1 && g.stride() == 1 && g.pad() == 0;
    }

    /** Output rows per im2col tile: as many as fit the column cap, at least one. */
    private int tileRows(Geometry g, int kg) {
        long perRow = (long) kg * g.outW();
        return (int) Math.max(1, Math.min(g.outH(), colsCap / perRow));
    }

    /** First output column whose tap kj lands inside the input (may be > outW). */
    private static int colLo(Geometry g, int kj) {
        int t = g.pad() - kj;
        return t <= 0 ? 0 : Math.min(g.outW(), (t + g.stride() - 1) / g.stride());
    }

    /** One past the last output column whose tap kj lands inside the input. */
    private static int colHi(Geometry g, int kj, int lo) {
        int t = g.w() - 1 + g.pad() - kj;
        return t < 0 ? lo : Math.max(lo, Math.min(g.outW(), t / g.stride() + 1));
    }

    /**
     * cols (nc·kh·kw × (r1−r0)·outW) for output rows [r0, r1) of the nc channels starting at xOff.
     * Row (c·kh + ki)·kw + kj of cols is input channel c shifted by tap (ki, kj), zero outside.
     */
    private static void im2col(Geometry g, float[] x, int xOff, int nc, int r0, int r1, float[] cols) {
        // Channels write disjoint rows of cols: split them across the pool. Inside a parallel
        // batch loop this nests and runs serially; with batch 1 it keeps both cores busy.
        Parallel.range(nc, 4, (c0, c1) -> im2colChannels(g, x, xOff, c0, c1, r0, r1, cols));
    }

    private static void im2colChannels(Geometry g, float[] x, int xOff, int c0, int c1, int r0, int r1, float[] cols) {
        int h = g.h(), w = g.w(), s = g.stride(), p = g.pad(), outW = g.outW(), tn = (r1 - r0) * outW;
        int row = c0 * g.kh() * g.kw();
        for (int c = c0; c < c1; c++) {
            int xc = xOff + c * h * w;
            for (int ki = 0; ki < g.kh(); ki++)
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int lo = colLo(g, kj), hi = colHi(g, kj, lo);
                    for (int oh = r0; oh < r1; oh++) {
                        int d = row * tn + (oh - r0) * outW;
                        int ih = oh * s - p + ki;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(cols, d, d + outW, 0f);
                            continue;
                        }
                        int xr = xc + ih * w - p + kj; // input index of output column 0 (may be "negative")
                        if (lo > 0) Arrays.fill(cols, d, d + lo, 0f);
                        // hi == lo: no column in bounds, and xr + lo may be < 0, which arraycopy refuses even for length 0
                        if (s == 1) { if (hi > lo) System.arraycopy(x, xr + lo, cols, d + lo, hi - lo); }
                        else for (int ow = lo; ow < hi; ow++) cols[d + ow] = x[xr + ow * s];
                        if (hi < outW) Arrays.fill(cols, d + hi, d + outW, 0f);
                    }
                }
        }
    }

    /** Adjoint of {@link #im2col}: adds cols back into dx (which the caller zeroed), fixed order. */
    private static void col2im(Geometry g, float[] cols, float[] dx, int dxOff, int nc, int r0, int r1) {
        int h = g.h(), w = g.w(), s = g.stride(), p = g.pad(), outW = g.outW(), tn = (r1 - r0) * outW;
        int row = 0;
        for (int c = 0; c < nc; c++) {
            int xc = dxOff + c * h * w;
            for (int ki = 0; ki < g.kh(); ki++)
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int lo = colLo(g, kj), hi = colHi(g, kj, lo);
                    for (int oh = r0; oh < r1; oh++) {
                        int ih = oh * s - p + ki;
                        if (ih < 0 || ih >= h) continue;
                        int d = row * tn + (oh - r0) * outW;
                        int xr = xc + ih * w - p + kj;
                        if (s == 1) addInto(dx, xr + lo, cols, d + lo, hi - lo);
                        else for (int ow = lo; ow < hi; ow++) dx[xr + ow * s] += cols[d + ow];
                    }
                }
        }
    }

    // ---------------------------------------------------------------- depthwise path

    private static boolean dw3x3(Geometry g) {
        return g.kh() == 3 && g.kw() == 3 && g.stride() == 1 && g.pad() == 1;
    }

    /** Planes per parallel chunk: enough work per chunk to amortise the hand-off. */
    private static int planeGrain(Geometry g) {
        return Math.max(1, 8192 / Math.max(1, Math.max(g.h() * g.w(), g.outH() * g.outW())));
    }

    /**
     * Copies plane src[off .. off+h·w) into buf with a zero border of p on every side, row stride
     * w+2p, followed by 2·VL zero floats so full-width vector loads past the last row stay in bounds.
     */
    private static float[] padPlane(float[] buf, float[] src, int off, int h, int w, int p) {
        int wp = w + 2 * p, hp = h + 2 * p, len = hp * wp + 2 * VL;
        if (buf.length < len) buf = new float[len];
        Arrays.fill(buf, 0, p * wp + p, 0f);
        for (int i = 0; i < h; i++) {
            int r = (i + p) * wp + p;
            System.arraycopy(src, off + i * w, buf, r, w);
            Arrays.fill(buf, r + w, r + w + 2 * p, 0f); // right border of row i + left border of row i+1
        }
        Arrays.fill(buf, (h + p) * wp + p, len, 0f);
        return buf;
    }

    private void dwForward(Geometry g, float[] x, float[] weight, float[] bias, float[] y) {
        final int c = g.inC(), h = g.h(), w = g.w(), oh = g.outH(), ow = g.outW();
        final int kk = g.kh() * g.kw();
        final boolean fast = dw3x3(g);
        Parallel.range(g.batch() * c, planeGrain(g), (q0, q1) -> {
            Scratch sc = SCRATCH.get();
            for (int q = q0; q < q1; q++) {
                int ch = q % c;
                float bv = bias == null ? 0f : bias[ch];
                float[] xp = sc.plane = padPlane(sc.plane, x, q * h * w, h, w, g.pad());
                if (fast) conv3x3(xp, w + 2, weight, ch * 9, false, bv, y, q * oh * ow, oh, ow);
                else convGeneric(g, xp, weight, ch * kk, bv, y, q * oh * ow);
            }
        });
    }

    private void dwBackwardInput(Geometry g, float[] dy, float[] weight, float[] dx) {
        final int c = g.inC(), h = g.h(), w = g.w(), oh = g.outH(), ow = g.outW();
        final int kk = g.kh() * g.kw();
        final boolean fast = dw3x3(g);
        Parallel.range(g.batch() * c, planeGrain(g), (q0, q1) -> {
            Scratch sc = SCRATCH.get();
            for (int q = q0; q < q1; q++) {
                int ch = q % c;
                if (fast) {
                    // 3×3 stride 1 pad 1 is self-adjoint up to a 180° kernel flip: dx = conv(dy, flip(w)).
                    float[] dyp = sc.plane = padPlane(sc.plane, dy, q * oh * ow, oh, ow, 1);
                    conv3x3(dyp, ow + 2, weight, ch * 9, true, 0f, dx, q * h * w, h, w);
                } else {
                    scatterGeneric(g, sc, dy, q * oh * ow, weight, ch * kk, dx, q * h * w);
                }
            }
        });
    }

    private void dwBackwardWeight(Geometry g, float[] x, float[] dy, float[] dWeight, float[] dBias) {
        final int c = g.inC(), h = g.h(), w = g.w(), oh = g.outH(), ow = g.outW(), batch = g.batch();
        final int kk = g.kh() * g.kw();
        final boolean fast = dw3x3(g);
        // One channel per task, batch looped inside in order: no cross-thread reduction needed.
        Parallel.range(c, 1, (c0, c1) -> {
            Scratch sc = SCRATCH.get();
            double[] taps = kk + 1 <= sc.taps.length ? sc.taps : new double[kk + 1];
            for (int ch = c0; ch < c1; ch++) {
                Arrays.fill(taps, 0, kk + 1, 0.0);
                for (int b = 0; b < batch; b++) {
                    int q = b * c + ch;
                    float[] xp = sc.plane = padPlane(sc.plane, x, q * h * w, h, w, g.pad());
                    if (fast) {
                        // dy padded on the right to the same row stride as xp: zero columns make
                        // the whole plane one flat correlation with no per-row tails.
                        float[] dyp = sc.plane2 = padRight(sc.plane2, dy, q * oh * ow, oh, ow, 2);
                        grad3x3(xp, dyp, ow + 2, oh, taps, sc.lanes);
                    } else {
                        gradGeneric(g, xp, dy, q * oh * ow, taps, sc.lanes);
                    }
                }
                for (int k = 0; k < kk; k++) dWeight[ch * kk + k] = (float) taps[k];
                if (dBias != null) dBias[ch] = (float) taps[kk];
            }
        });
    }

    /** y[i, j] = bias + Σ w[ki, kj]·xp[i+ki, j+kj] over one plane; flip uses w rotated by 180°. */
    private static void conv3x3(float[] xp, int wp, float[] wt, int wo, boolean flip, float bias,
                                float[] y, int yo, int oh, int ow) {
        int f = flip ? 8 : 0, sg = flip ? -1 : 1;
        FloatVector w00 = FloatVector.broadcast(S, wt[wo + f]), w01 = FloatVector.broadcast(S, wt[wo + f + sg]),
                w02 = FloatVector.broadcast(S, wt[wo + f + 2 * sg]), w10 = FloatVector.broadcast(S, wt[wo + f + 3 * sg]),
                w11 = FloatVector.broadcast(S, wt[wo + 4]), w12 = FloatVector.broadcast(S, wt[wo + f + 5 * sg]),
                w20 = FloatVector.broadcast(S, wt[wo + f + 6 * sg]), w21 = FloatVector.broadcast(S, wt[wo + f + 7 * sg]),
                w22 = FloatVector.broadcast(S, wt[wo + f + 8 * sg]), vb = FloatVector.broadcast(S, bias);
        for (int i = 0; i < oh; i++) {
            int r0 = i * wp, r1 = r0 + wp, r2 = r1 + wp, yr = yo + i * ow;
            for (int j = 0; j < ow; j += VL) {
                FloatVector acc = FloatVector.fromArray(S, xp, r0 + j).fma(w00, vb);
                acc = FloatVector.fromArray(S, xp, r0 + j + 1).fma(w01, acc);
                acc = FloatVector.fromArray(S, xp, r0 + j + 2).fma(w02, acc);
                acc = FloatVector.fromArray(S, xp, r1 + j).fma(w10, acc);
                acc = FloatVector.fromArray(S, xp, r1 + j + 1).fma(w11, acc);
                acc = FloatVector.fromArray(S, xp, r1 + j + 2).fma(w12, acc);
                acc = FloatVector.fromArray(S, xp, r2 + j).fma(w20, acc);
                acc = FloatVector.fromArray(S, xp, r2 + j + 1).fma(w21, acc);
                acc = FloatVector.fromArray(S, xp, r2 + j + 2).fma(w22, acc);
                // Lanes past the row end read the neighbour row / zero slack; they are never stored.
                if (j + VL <= ow) acc.intoArray(y, yr + j);
                else acc.intoArray(y, yr + j, S.indexInRange(j, ow));
            }
        }
    }

    /** Copies an h×w plane into buf with row stride w+extra, zero-filling the extra columns and 2·VL slack. */
    private static float[] padRight(float[] buf, float[] src, int off, int h, int w, int extra) {
        int wp = w + extra, len = h * wp + 2 * VL;
        if (buf.length < len) buf = new float[len];
        for (int i = 0; i < h; i++) {
            System.arraycopy(src, off + i * w, buf, i * wp, w);
            Arrays.fill(buf, i * wp + w, (i + 1) * wp, 0f);
        }
        Arrays.fill(buf, h * wp, len, 0f);
        return buf;
    }

    /**
     * taps[ki·3+kj] += Σ dy[i, j]·xp[i+ki, j+kj] and taps[9] += Σ dy, for one plane. dyp and xp share
     * row stride wp and dyp is zero outside the real columns, so the sum runs over the flat index.
     */
    private static void grad3x3(float[] xp, float[] dyp, int wp, int oh, double[] taps, float[] lanes) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00,
                a20 = a00, a21 = a00, a22 = a00, ab = a00;
        int n = oh * wp;
        for (int j = 0; j < n; j += VL) {
            // Reads reach n + VL + 2·wp + 2 at most: xp has (oh+2)·wp + 2·VL floats.
            FloatVector d = FloatVector.fromArray(S, dyp, j);
            int r1 = j + wp, r2 = r1 + wp;
            a00 = FloatVector.fromArray(S, xp, j).fma(d, a00);
            a01 = FloatVector.fromArray(S, xp, j + 1).fma(d, a01);
            a02 = FloatVector.fromArray(S, xp, j + 2).fma(d, a02);
            a10 = FloatVector.fromArray(S, xp, r1).fma(d, a10);
            a11 = FloatVector.fromArray(S, xp, r1 + 1).fma(d, a11);
            a12 = FloatVector.fromArray(S, xp, r1 + 2).fma(d, a12);
            a20 = FloatVector.fromArray(S, xp, r2).fma(d, a20);
            a21 = FloatVector.fromArray(S, xp, r2 + 1).fma(d, a21);
            a22 = FloatVector.fromArray(S, xp, r2 + 2).fma(d, a22);
            ab = ab.add(d);
        }
        taps[0] += lanes(a00, lanes); taps[1] += lanes(a01, lanes); taps[2] += lanes(a02, lanes);
        taps[3] += lanes(a10, lanes); taps[4] += lanes(a11, lanes); taps[5] += lanes(a12, lanes);
        taps[6] += lanes(a20, lanes); taps[7] += lanes(a21, lanes); taps[8] += lanes(a22, lanes);
        taps[9] += lanes(ab, lanes);
    }

    /** Any kernel/stride/pad: y[i, j] = bias + Σ w[ki, kj]·xp[i·s+ki, j·s+kj] over one padded plane. */
    private static void convGeneric(Geometry g, float[] xp, float[] wt, int wo, float bias, float[] y, int yo) {
        int kh = g.kh(), kw = g.kw(), s = g.stride(), wp = g.w() + 2 * g.pad(), oh = g.outH(), ow = g.outW();
        FloatVector vb = FloatVector.broadcast(S, bias);
        for (int i = 0; i < oh; i++) {
            int yr = yo + i * ow;
            if (s == 1) {
                for (int j = 0; j < ow; j += VL) {
                    FloatVector acc = vb;
                    for (int ki = 0; ki < kh; ki++)
                        for (int kj = 0; kj < kw; kj++)
                            acc = FloatVector.fromArray(S, xp, (i + ki) * wp + j + kj)
                                    .fma(FloatVector.broadcast(S, wt[wo + ki * kw + kj]), acc);
                    if (j + VL <= ow) acc.intoArray(y, yr + j);
                    else acc.intoArray(y, yr + j, S.indexInRange(j, ow));
                }
            } else {
                for (int j = 0; j < ow; j++) {
                    float acc = bias;
                    for (int ki = 0; ki < kh; ki++)
                        for (int kj = 0; kj < kw; kj++)
                            acc = Math.fma(xp[(i * s + ki) * wp + j * s + kj], wt[wo + ki * kw + kj], acc);
                    y[yr + j] = acc;
                }
            }
        }
    }

    /** Any kernel/stride/pad: scatter dy into a zeroed padded plane, then crop it into dx. */
    private static void scatterGeneric(Geometry g, Scratch sc, float[] dy, int dyo, float[] wt, int wo,
                                       float[] dx, int dxo) {
        int kh = g.kh(), kw = g.kw(), s = g.stride(), p = g.pad(), h = g.h(), w = g.w();
        int wp = w + 2 * p, hp = h + 2 * p, oh = g.outH(), ow = g.outW();
        int len = hp * wp + 2 * VL;
        float[] dxp = sc.plane2.length >= len ? sc.plane2 : (sc.plane2 = new float[len]);
        Arrays.fill(dxp, 0, len, 0f);
        for (int i = 0; i < oh; i++) {
            int dr = dyo + i * ow;
            for (int ki = 0; ki < kh; ki++)
                for (int kj = 0; kj < kw; kj++) {
                    float wv = wt[wo + ki * kw + kj];
                    int base = (i * s + ki) * wp + kj;
                    if (s == 1) {
                        FloatVector vw = FloatVector.broadcast(S, wv);
                        int j = 0;
                        for (; j <= ow - VL; j += VL)
                            FloatVector.fromArray(S, dy, dr + j)
                                    .fma(vw, FloatVector.fromArray(S, dxp, base + j)).intoArray(dxp, base + j);
                        if (j < ow) {
                            VectorMask<Float> m = S.indexInRange(j, ow);
                            FloatVector.fromArray(S, dy, dr + j, m)
                                    .fma(vw, FloatVector.fromArray(S, dxp, base + j, m)).intoArray(dxp, base + j, m);
                        }
                    } else {
                        for (int j = 0; j < ow; j++) dxp[base + j * s] = Math.fma(dy[dr + j], wv, dxp[base + j * s]);
                    }
                }
        }
        for (int i = 0; i < h; i++) System.arraycopy(dxp, (i + p) * wp + p, dx, dxo + i * w, w);
    }

    /** Any kernel/stride/pad: taps[ki·kw+kj] += Σ dy[i, j]·xp[i·s+ki, j·s+kj], taps[kh·kw] += Σ dy. */
    private static void gradGeneric(Geometry g, float[] xp, float[] dy, int dyo, double[] taps, float[] lanes) {
        int kh = g.kh(), kw = g.kw(), s = g.stride(), wp = g.w() + 2 * g.pad(), oh = g.outH(), ow = g.outW();
        for (int ki = 0; ki < kh; ki++)
            for (int kj = 0; kj < kw; kj++) {
                if (s == 1) {
                    FloatVector acc = FloatVector.zero(S);
                    for (int i = 0; i < oh; i++) {
                        int dr = dyo + i * ow, xr = (i + ki) * wp + kj, j = 0;
                        for (; j <= ow - VL; j += VL)
                            acc = FloatVector.fromArray(S, dy, dr + j).fma(FloatVector.fromArray(S, xp, xr + j), acc);
                        if (j < ow) {
                            VectorMask<Float> m = S.indexInRange(j, ow);
                            acc = FloatVector.fromArray(S, dy, dr + j, m).fma(FloatVector.fromArray(S, xp, xr + j, m), acc);
                        }
                    }
                    taps[ki * kw + kj] += lanes(acc, lanes);
                } else {
                    double acc = 0;
                    for (int i = 0; i < oh; i++) {
                        int dr = dyo + i * ow, xr = (i * s + ki) * wp + kj;
                        for (int j = 0; j < ow; j++) acc += (double) dy[dr + j] * xp[xr + j * s];
                    }
                    taps[ki * kw + kj] += acc;
                }
            }
        taps[kh * kw] += sum(dy, dyo, oh * ow, lanes);
    }

    // ---------------------------------------------------------------- small vector helpers

    /** Sum of a vector's lanes in index order, in double (reduceLanes' order is unspecified). */
    private static double lanes(FloatVector v, float[] buf) {
        v.intoArray(buf, 0);
        double s = 0;
        for (int i = 0; i < VL; i++) s += buf[i];
        return s;
    }

    /** Σ a[off .. off+n), vectorised with a fixed order. */
    private static double sum(float[] a, int off, int n, float[] buf) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - VL; i += VL) acc = acc.add(FloatVector.fromArray(S, a, off + i));
        double s = lanes(acc, buf);
        for (; i < n; i++) s += a[off + i];
        return s;
    }

    /** dst[d .. d+n) += src[s .. s+n). */
    private static void addInto(float[] dst, int d, float[] src, int s, int n) {
        int i = 0;
        for (; i <= n - VL; i += VL)
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        for (; i < n; i++) dst[d + i] += src[s + i];
    }

    /** a[off .. off+n) += v. */
    private static void addScalar(float[] a, int off, int n, float v) {
        FloatVector vv = FloatVector.broadcast(S, v);
        int i = 0;
        for (; i <= n - VL; i += VL) FloatVector.fromArray(S, a, off + i).add(vv).intoArray(a, off + i);
        for (; i < n; i++) a[off + i] += v;
    }

    // ---------------------------------------------------------------- argument checks

    private static void need(float[] a, long n, String name) {
        if (a == null || a.length < n)
            throw new IllegalArgumentException(name + " needs " + n + " floats, has " + (a == null ? "null" : a.length));
    }

    private static void checkIn(Geometry g, float[] a, String name) {
        need(a, (long) g.batch() * g.inC() * g.h() * g.w(), name);
    }

    private static void checkOut(Geometry g, float[] a, String name) {
        need(a, (long) g.batch() * g.outC() * g.outH() * g.outW(), name);
    }

    private static void checkWeight(Geometry g, float[] a, String name) {
        need(a, (long) g.outC() * (g.inC() / g.groups()) * g.kh() * g.kw(), name);
    }
}
