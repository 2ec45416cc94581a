package org.medmamba.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Cache-blocked SGEMM on the Vector API, after Goto/BLIS.
 *
 * <p>C is cut into tasks (at most MC rows × a range of NR-column panels) that {@link Parallel} spreads
 * over its threads. For each k block of at most KC, a task runs a register-tiled MR×NR micro-kernel
 * (8 rows × 3 vectors = 24 accumulators) over its tiles, B panel outermost so that panel stays
 * cache-hot for all the task's row panels. (6 rows × 2 vectors where there are only 16 vector registers.)
 * <ul>
 * <li>op(B) is packed into NR-column panels (kc×NR contiguous, zero columns past n): all of it up
 *     front and shared when several row blocks reuse it, else per task, the next panel packed by
 *     the current panel's first kernel call so its loads overlap the FMAs.
 * <li>op(A) is read in place: MR rows lda apart, or MR contiguous values per p when transposed.
 *     Packing it cost 30–45% at narrow n and bought nothing measurable. Only a ragged last row
 *     panel is packed (zero rows), so the kernel never needs masks; ragged tiles of C go through a
 *     scratch tile.
 * </ul>
 *
 * <p>Each C element is a fused-multiply-add chain over p within a k block, and k blocks are added
 * to C in order. The k blocking depends on k alone, so results are bitwise identical for any
 * thread count.
 */
final class VectorGemm implements Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /**
     * Micro-tiles. With 32 vector registers (AVX-512): 8 rows × 3 vectors = 24 accumulators, which
     * leaves 8 for B and A. With 16 (AVX2) those 24 would spill to the stack on every step, so there
     * the tile is 6 rows × 2 vectors = 12 accumulators + 2 B + 1 A (BLIS's Haswell shape). The
     * default follows the vector width; {@code medmamba.gemm.tile} overrides it.
     */
    static final int MR8 = 8, NR8 = 3 * VL, MR6 = 6, NR6 = 2 * VL;
    /**
     * k block. Larger blocks mean fewer passes over C; 512 measured best here (256–768 are within a few %)
     * even though a B micro-panel (KC×NR floats) then lives in L2 rather than L1.
     */
    static final int KC = KernelConfig.current().gemmKc();
    /** Most rows of C per task (medmamba.gemm.mc; blockRows rounds it down to the tile's rows): its A rows (MC×KC floats) stay in L2 while B panels stream past. */
    private static final int MC = KernelConfig.current().gemmMc();
    /**
     * The scalar path (latency-bound, ~1 multiply-add per cycle) only wins for a handful of
     * multiply-adds, or when the MR×NR tiles would be mostly padding (m·n tiny, k long).
     */
    private static final long TINY = 512, MAX_PADDING = 64;
    /** Below this many multiply-adds a single thread beats waking the pool. */
    private static final long SERIAL_LIMIT = 1L << 20;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** Per-thread scratch, grown on demand and reused so the hot path never allocates. */
    private static final class Buffers {
        float[] a = new float[0];       // ragged last A panel
        float[] b = new float[0], b2 = new float[0]; // B panels (current, next) when B is packed per task
        float[] packedB = new float[0]; // all of op(B), shared with the pool during one call
        final float[] tile = new float[MR8 * NR8];   // the larger tile
        float[] row = new float[0];     // one row of integer weights, widened (sgemmQuantized)
    }

    private final boolean scalarWhenTiny, wideTile;
    /** The micro-tile (MR8 × NR8 or MR6 × NR6) and the rows per task, a multiple of the tile's. */
    private final int tileRows, tileCols, blockRows;

    public VectorGemm() {
        this(true);
    }

    /** Tests pass false to push even the smallest problems through the tiled path. */
    VectorGemm(boolean scalarWhenTiny) {
        this(scalarWhenTiny, wideTileByDefault());
    }

    /** Tests choose the tile, so both are checked on every machine. */
    VectorGemm(boolean scalarWhenTiny, boolean wideTile) {
        this.scalarWhenTiny = scalarWhenTiny;
        this.wideTile = wideTile;
        tileRows = wideTile ? MR8 : MR6;
        tileCols = wideTile ? NR8 : NR6;
        blockRows = Math.max(tileRows, MC / tileRows * tileRows);
    }

    /** 8×3 for 512-bit vectors (32 registers), else 6×2, unless medmamba.gemm.tile says otherwise. */
    static boolean wideTileByDefault() {
        int t = KernelConfig.current().gemmTile();
        return t == 0 ? VL >= 16 : t == 8;
    }

    /** "8x3" or "6x2": the micro-tile this instance runs (for benchmark logs). */
    String tile() {
        return wideTile ? "8x3" : "6x2";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        multiply(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, null, beta, c, cOff, ldc);
    }

    /**
     * The same blocked product with the B panels packed from integer weights (see
     * {@link QuantizedPanels}): bit for bit {@link #sgemm} on the dequantised weights.
     */
    @Override
    public void sgemmQuantized(int m, float[] a, int aOff, int lda, QuantizedMatrix w, int[] columns,
                               float beta, float[] c, int cOff, int ldc) {
        QuantizedPanels q = new QuantizedPanels(w, columns);
        multiply(false, true, m, w.rows(), q.k, a, aOff, lda, null, 0, 0, q, beta, c, cOff, ldc);
    }

    /** C = op(A)·op(B) + beta·C, op(B) read from b (qb null) or from integer weights qb. */
    private void multiply(boolean transA, boolean transB, int m, int n, int k,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb, QuantizedPanels qb,
                          float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative size " + m + "x" + n + "x" + k);
        final int tr = tileRows, tc = tileCols;
        final boolean wide = wideTile;
        if (m == 0 || n == 0) return;
        if (beta != 0f && beta != 1f) { // rare: fold a general beta into C, then accumulate
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) c[cOff + i * ldc + j] *= beta;
            beta = 1f;
        }
        if (k == 0) {
            if (beta == 0f)
                for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        long work = (long) m * n * k;
        long padded = (long) ceilDiv(m, tr) * tr * ceilDiv(n, tc) * tc * k;
        if (scalarWhenTiny && (work < TINY || padded > MAX_PADDING * work)) {
            if (qb != null) // tiny: op(B)ᵀ (n × k) widened once, then the scalar path
                small(transA, true, m, n, k, a, aOff, lda, qb.widenAll(), 0, k, beta == 1f, c, cOff, ldc);
            else
                small(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta == 1f, c, cOff, ldc);
            return;
        }
        boolean parallel = work >= SERIAL_LIMIT && Parallel.threads() > 1;

        int mp = ceilDiv(m, tr);                    // row panels
        int np = ceilDiv(n, tc);                    // column panels
        int nkb = ceilDiv(k, KC);
        int kcb = ceilDiv(k, nkb);                  // balanced k blocks, depends on k only
        // Task grid: row blocks of at most blockRows rows × column blocks, in near-equal sizes. Parallel.range
        // deals out at most 4·threads chunks, so the task count is made a multiple of that (or the
        // rows are split by columns until it is) and every thread gets the same amount of work.
        int mBlocks = ceilDiv(mp, blockRows / tr), nBlocks = 1;
        if (parallel) {
            int chunks = 4 * Parallel.threads();
            if (mBlocks >= chunks) mBlocks = Math.min(mp, ceilDiv(mBlocks, chunks) * chunks);
            else nBlocks = Math.min(np, chunks / gcd(mBlocks, chunks));
        }
        final int fmBlocks = mBlocks, fnBlocks = nBlocks;
        int tasks = mBlocks * nBlocks;

        // With several row blocks, each B panel is reused by all of them: pack all of op(B) once, up front
        // (one barrier); k block kb starts at kb*kcb*np*tc and holds np panels of kc×tc. With a single
        // row block nothing is shared, so each task packs its own panels just before use (cache-hot).
        final boolean sharedB = mBlocks > 1;
        float[] pb = null;
        if (sharedB) {
            Buffers own = BUFFERS.get();
            long bLen = (long) np * tc * k;
            if (bLen > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("op(B) too large to pack: " + k + "x" + n);
            if (own.packedB.length < bLen) own.packedB = new float[(int) bLen];
            float[] dst = own.packedB;
            run(parallel, nkb * np, 4, (s, e) -> {
                for (int u = s; u < e; u++) {
                    int kb = u / np, jr = u % np, p0 = kb * kcb, kc = Math.min(kcb, k - p0);
                    pack(tc, qb, transB, b, bOff, ldb, n, jr * tc, p0, kc, dst, p0 * np * tc + jr * tc * kc);
                }
            });
            pb = dst;
        }
        final float[] sharedPb = pb;
        final boolean acc = beta == 1f;
        run(parallel, tasks, 1, (s, e) -> {
            Buffers mine = BUFFERS.get();
            if (mine.a.length < tr * kcb) mine.a = new float[tr * kcb];
            if (!sharedB && mine.b.length < tc * kcb) { mine.b = new float[tc * kcb]; mine.b2 = new float[tc * kcb]; }
            float[] pa = mine.a, tile = mine.tile;
            for (int t = s; t < e; t++) {
                int mb = t / fnBlocks, nb = t % fnBlocks;
                int ir0 = (int) ((long) mb * mp / fmBlocks), ir1 = (int) ((long) (mb + 1) * mp / fmBlocks);
                int jr0 = (int) ((long) nb * np / fnBlocks), jr1 = (int) ((long) (nb + 1) * np / fnBlocks);
                for (int p0 = 0; p0 < k; p0 += kcb) {
                    int kc = Math.min(kcb, k - p0);
                    boolean add = p0 > 0 || acc;
                    // Full tr-row panels are read straight from A; only a ragged last panel is packed (zero rows).
                    if (ir1 * tr > m) packA(tr, transA, a, aOff, lda, m, (ir1 - 1) * tr, p0, kc, pa, 0);
                    // B panel outermost: every row panel of the block reuses it while it is cache-hot.
                    if (!sharedB) pack(tc, qb, transB, b, bOff, ldb, n, jr0 * tc, p0, kc, mine.b, 0);
                    for (int jr = jr0; jr < jr1; jr++) {
                        int j = jr * tc, nr = Math.min(tc, n - j);
                        float[] bs = sharedB ? sharedPb : (jr - jr0) % 2 == 0 ? mine.b : mine.b2;
                        int bi = sharedB ? p0 * np * tc + jr * tc * kc : 0;
                        float[] nextBuf = (jr - jr0) % 2 == 0 ? mine.b2 : mine.b;
                        // Local B: the next full panel of untransposed B is packed by this panel's first kernel call.
                        boolean ahead = !sharedB && qb == null && jr + 1 < jr1 && !transB && (jr + 2) * tc <= n;
                        for (int ir = ir0; ir < ir1; ir++) {
                            int i = ir * tr, mr = Math.min(tr, m - i);
                            float[] next = ahead && ir == ir0 ? nextBuf : null;
                            int nbi = qb == null ? bOff + p0 * ldb + j + tc : 0;
                            // Edge tiles go through a scratch tile and are merged element by element.
                            boolean full = mr == tr && nr == tc;
                            float[] cd = full ? c : tile;
                            int co = full ? cOff + i * ldc + j : 0, ldd = full ? ldc : tc;
                            boolean ad = full && add;
                            if (mr < tr) { // ragged last row panel: packed, zero-padded
                                if (wide) kernelCols(kc, pa, 0, tr, bs, bi, b, nbi, ldb, next, cd, co, ldd, ad);
                                else kernelCols6(kc, pa, 0, tr, bs, bi, b, nbi, ldb, next, cd, co, ldd, ad);
                            } else if (transA) {
                                if (wide) kernelCols(kc, a, aOff + p0 * lda + i, lda, bs, bi, b, nbi, ldb, next, cd, co, ldd, ad);
                                else kernelCols6(kc, a, aOff + p0 * lda + i, lda, bs, bi, b, nbi, ldb, next, cd, co, ldd, ad);
                            } else {
                                if (wide) kernelRows(kc, a, aOff + i * lda + p0, lda, bs, bi, b, nbi, ldb, next, cd, co, ldd, ad);
                                else kernelRows6(kc, a, aOff + i * lda + p0, lda, bs, bi, b, nbi, ldb, next, cd, co, ldd, ad);
                            }
                            if (!full) {
                                for (int r = 0; r < mr; r++) {
                                    int ci = cOff + (i + r) * ldc + j;
                                    for (int q = 0; q < nr; q++)
                                        c[ci + q] = add ? c[ci + q] + tile[r * tc + q] : tile[r * tc + q];
                                }
                            }
                        }
                        if (!sharedB && !ahead && jr + 1 < jr1) pack(tc, qb, transB, b, bOff, ldb, n, j + tc, p0, kc, nextBuf, 0);
                    }
                }
            }
        });
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int gcd(int x, int y) {
        return y == 0 ? x : gcd(y, x % y);
    }

    private static void run(boolean parallel, int n, int grain, Parallel.RangeBody body) {
        if (parallel) Parallel.range(n, grain, body);
        else body.run(0, n);
    }

    /** Packs rows [i0, i0+tr) × cols [p0, p0+kc) of op(A) as dst[p*tr + r], zero rows past m. */
    private static void packA(int tr, boolean transA, float[] a, int aOff, int lda, int m, int i0, int p0, int kc,
                              float[] dst, int d) {
        int mr = Math.min(tr, m - i0);
        if (transA) { // op(A)(i,p) = a[p*lda + i]: each p is a contiguous run of tr values
            for (int p = 0; p < kc; p++) {
                int src = aOff + (p0 + p) * lda + i0, o = d + p * tr;
                for (int r = 0; r < mr; r++) dst[o + r] = a[src + r];
                for (int r = mr; r < tr; r++) dst[o + r] = 0f;
            }
        } else { // op(A)(i,p) = a[i*lda + p]: read each row contiguously, scatter with stride tr
            for (int r = 0; r < mr; r++) {
                int src = aOff + (i0 + r) * lda + p0;
                for (int p = 0; p < kc; p++) dst[d + p * tr + r] = a[src + p];
            }
            for (int r = mr; r < tr; r++)
                for (int p = 0; p < kc; p++) dst[d + p * tr + r] = 0f;
        }
    }

    /** {@link #packB}, or the same panel widened from integer weights when qb is given. */
    private static void pack(int tc, QuantizedPanels qb, boolean transB, float[] b, int bOff, int ldb, int n, int j0, int p0, int kc,
                             float[] dst, int d) {
        if (qb == null) {
            packB(tc, transB, b, bOff, ldb, n, j0, p0, kc, dst, d);
            return;
        }
        Buffers mine = BUFFERS.get();
        if (mine.row.length < kc) mine.row = new float[kc];
        qb.pack(tc, j0, p0, kc, dst, d, mine.row);
    }

    /** Packs rows [p0, p0+kc) × cols [j0, j0+tc) of op(B) as dst[p*tc + q], zero columns past n. */
    private static void packB(int tc, boolean transB, float[] b, int bOff, int ldb, int n, int j0, int p0, int kc,
                              float[] dst, int d) {
        int nr = Math.min(tc, n - j0);
        if (!transB) { // op(B)(p,j) = b[p*ldb + j]: rows are contiguous, copy by vectors
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * ldb + j0, o = d + p * tc;
                if (nr == tc) {
                    for (int v = 0; v < tc; v += VL) FloatVector.fromArray(S, b, src + v).intoArray(dst, o + v);
                } else {
                    for (int q = 0; q < nr; q++) dst[o + q] = b[src + q];
                    for (int q = nr; q < tc; q++) dst[o + q] = 0f;
                }
            }
        } else { // op(B)(p,j) = b[j*ldb + p]: read each column of op(B) contiguously
            for (int q = 0; q < nr; q++) {
                int src = bOff + (j0 + q) * ldb + p0;
                for (int p = 0; p < kc; p++) dst[d + p * tc + q] = b[src + p];
            }
            for (int q = nr; q < tc; q++)
                for (int p = 0; p < kc; p++) dst[d + p * tc + q] = 0f;
        }
    }

    /**
     * C[MR8×NR8] (+)= A·Bpanel over kc, A read in place from MR rows lda apart (element (r,p) at
     * pa[ai + r*lda + p]); each index is invariant + p, so C2 hoists all bounds checks out of the
     * loop. Bpanel is packed: element (p,q) at pb[bi + p*NR8 + q]. Unless {@code next} is null, the
     * NR8 columns of B at nb[nbi + p*nbs] are also copied into {@code next}, packed. The 24
     * accumulators are separate locals (not an array) so C2 keeps them in registers.
     */
    private static void kernelRows(int kc, float[] pa, int ai, int lda,
                                   float[] pb, int bi, float[] nb, int nbi, int nbs, float[] next,
                                   float[] c, int ci, int ldc, boolean add) {
        int a0 = ai, a1 = ai + lda, a2 = ai + 2 * lda, a3 = ai + 3 * lda;
        int a4 = ai + 4 * lda, a5 = ai + 5 * lda, a6 = ai + 6 * lda, a7 = ai + 7 * lda;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c50 = z, c51 = z, c52 = z;
        FloatVector c60 = z, c61 = z, c62 = z, c70 = z, c71 = z, c72 = z;
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * NR8;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + VL);
            FloatVector b2 = FloatVector.fromArray(S, pb, bo + 2 * VL);
            if (next != null) { // pack the next B panel on the side; its loads are off the FMA chains
                int no = nbi + p * nbs;
                FloatVector.fromArray(S, nb, no).intoArray(next, p * NR8);
                FloatVector.fromArray(S, nb, no + VL).intoArray(next, p * NR8 + VL);
                FloatVector.fromArray(S, nb, no + 2 * VL).intoArray(next, p * NR8 + 2 * VL);
            }
            FloatVector x;
            x = FloatVector.broadcast(S, pa[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, pa[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, pa[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, pa[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
            x = FloatVector.broadcast(S, pa[a4 + p]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42);
            x = FloatVector.broadcast(S, pa[a5 + p]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52);
            x = FloatVector.broadcast(S, pa[a6 + p]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61); c62 = x.fma(b2, c62);
            x = FloatVector.broadcast(S, pa[a7 + p]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71); c72 = x.fma(b2, c72);
        }
        // Stores written out here, not in a helper: vectors passed to a non-inlined call get boxed,
        // and C2 then pushes the boxing back through the loop phis into the hot loop.
        if (add) {
            int o0 = ci;
            FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
            FloatVector.fromArray(S, c, o0 + VL).add(c01).intoArray(c, o0 + VL);
            FloatVector.fromArray(S, c, o0 + 2 * VL).add(c02).intoArray(c, o0 + 2 * VL);
            int o1 = ci + ldc;
            FloatVector.fromArray(S, c, o1).add(c10).intoArray(c, o1);
            FloatVector.fromArray(S, c, o1 + VL).add(c11).intoArray(c, o1 + VL);
            FloatVector.fromArray(S, c, o1 + 2 * VL).add(c12).intoArray(c, o1 + 2 * VL);
            int o2 = ci + 2 * ldc;
            FloatVector.fromArray(S, c, o2).add(c20).intoArray(c, o2);
            FloatVector.fromArray(S, c, o2 + VL).add(c21).intoArray(c, o2 + VL);
            FloatVector.fromArray(S, c, o2 + 2 * VL).add(c22).intoArray(c, o2 + 2 * VL);
            int o3 = ci + 3 * ldc;
            FloatVector.fromArray(S, c, o3).add(c30).intoArray(c, o3);
            FloatVector.fromArray(S, c, o3 + VL).add(c31).intoArray(c, o3 + VL);
            FloatVector.fromArray(S, c, o3 + 2 * VL).add(c32).intoArray(c, o3 + 2 * VL);
            int o4 = ci + 4 * ldc;
            FloatVector.fromArray(S, c, o4).add(c40).intoArray(c, o4);
            FloatVector.fromArray(S, c, o4 + VL).add(c41).intoArray(c, o4 + VL);
            FloatVector.fromArray(S, c, o4 + 2 * VL).add(c42).intoArray(c, o4 + 2 * VL);
            int o5 = ci + 5 * ldc;
            FloatVector.fromArray(S, c, o5).add(c50).intoArray(c, o5);
            FloatVector.fromArray(S, c, o5 + VL).add(c51).intoArray(c, o5 + VL);
            FloatVector.fromArray(S, c, o5 + 2 * VL).add(c52).intoArray(c, o5 + 2 * VL);
            int o6 = ci + 6 * ldc;
            FloatVector.fromArray(S, c, o6).add(c60).intoArray(c, o6);
            FloatVector.fromArray(S, c, o6 + VL).add(c61).intoArray(c, o6 + VL);
            FloatVector.fromArray(S, c, o6 + 2 * VL).add(c62).intoArray(c, o6 + 2 * VL);
            int o7 = ci + 7 * ldc;
            FloatVector.fromArray(S, c, o7).add(c70).intoArray(c, o7);
            FloatVector.fromArray(S, c, o7 + VL).add(c71).intoArray(c, o7 + VL);
            FloatVector.fromArray(S, c, o7 + 2 * VL).add(c72).intoArray(c, o7 + 2 * VL);
        } else {
            int o0 = ci;
            c00.intoArray(c, o0);
            c01.intoArray(c, o0 + VL);
            c02.intoArray(c, o0 + 2 * VL);
            int o1 = ci + ldc;
            c10.intoArray(c, o1);
            c11.intoArray(c, o1 + VL);
            c12.intoArray(c, o1 + 2 * VL);
            int o2 = ci + 2 * ldc;
            c20.intoArray(c, o2);
            c21.intoArray(c, o2 + VL);
            c22.intoArray(c, o2 + 2 * VL);
            int o3 = ci + 3 * ldc;
            c30.intoArray(c, o3);
            c31.intoArray(c, o3 + VL);
            c32.intoArray(c, o3 + 2 * VL);
            int o4 = ci + 4 * ldc;
            c40.intoArray(c, o4);
            c41.intoArray(c, o4 + VL);
            c42.intoArray(c, o4 + 2 * VL);
            int o5 = ci + 5 * ldc;
            c50.intoArray(c, o5);
            c51.intoArray(c, o5 + VL);
            c52.intoArray(c, o5 + 2 * VL);
            int o6 = ci + 6 * ldc;
            c60.intoArray(c, o6);
            c61.intoArray(c, o6 + VL);
            c62.intoArray(c, o6 + 2 * VL);
            int o7 = ci + 7 * ldc;
            c70.intoArray(c, o7);
            c71.intoArray(c, o7 + VL);
            c72.intoArray(c, o7 + 2 * VL);
        }
    }

    /**
     * As {@link #kernelRows} with A as MR contiguous values per p, ps apart (element (r,p) at
     * pa[ai + p*ps + r]): a packed panel (ps = MR) or transposed A read in place (ps = lda).
     */
    private static void kernelCols(int kc, float[] pa, int ai, int ps,
                                   float[] pb, int bi, float[] nb, int nbi, int nbs, float[] next,
                                   float[] c, int ci, int ldc, boolean add) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c50 = z, c51 = z, c52 = z;
        FloatVector c60 = z, c61 = z, c62 = z, c70 = z, c71 = z, c72 = z;
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * NR8, ao = ai + p * ps;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + VL);
            FloatVector b2 = FloatVector.fromArray(S, pb, bo + 2 * VL);
            if (next != null) { // pack the next B panel on the side; its loads are off the FMA chains
                int no = nbi + p * nbs;
                FloatVector.fromArray(S, nb, no).intoArray(next, p * NR8);
                FloatVector.fromArray(S, nb, no + VL).intoArray(next, p * NR8 + VL);
                FloatVector.fromArray(S, nb, no + 2 * VL).intoArray(next, p * NR8 + 2 * VL);
            }
            FloatVector x;
            x = FloatVector.broadcast(S, pa[ao]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, pa[ao + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, pa[ao + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, pa[ao + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
            x = FloatVector.broadcast(S, pa[ao + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42);
            x = FloatVector.broadcast(S, pa[ao + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52);
            x = FloatVector.broadcast(S, pa[ao + 6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61); c62 = x.fma(b2, c62);
            x = FloatVector.broadcast(S, pa[ao + 7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71); c72 = x.fma(b2, c72);
        }
        // Stores written out here, not in a helper: vectors passed to a non-inlined call get boxed,
        // and C2 then pushes the boxing back through the loop phis into the hot loop.
        if (add) {
            int o0 = ci;
            FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
            FloatVector.fromArray(S, c, o0 + VL).add(c01).intoArray(c, o0 + VL);
            FloatVector.fromArray(S, c, o0 + 2 * VL).add(c02).intoArray(c, o0 + 2 * VL);
            int o1 = ci + ldc;
            FloatVector.fromArray(S, c, o1).add(c10).intoArray(c, o1);
            FloatVector.fromArray(S, c, o1 + VL).add(c11).intoArray(c, o1 + VL);
            FloatVector.fromArray(S, c, o1 + 2 * VL).add(c12).intoArray(c, o1 + 2 * VL);
            int o2 = ci + 2 * ldc;
            FloatVector.fromArray(S, c, o2).add(c20).intoArray(c, o2);
            FloatVector.fromArray(S, c, o2 + VL).add(c21).intoArray(c, o2 + VL);
            FloatVector.fromArray(S, c, o2 + 2 * VL).add(c22).intoArray(c, o2 + 2 * VL);
            int o3 = ci + 3 * ldc;
            FloatVector.fromArray(S, c, o3).add(c30).intoArray(c, o3);
            FloatVector.fromArray(S, c, o3 + VL).add(c31).intoArray(c, o3 + VL);
            FloatVector.fromArray(S, c, o3 + 2 * VL).add(c32).intoArray(c, o3 + 2 * VL);
            int o4 = ci + 4 * ldc;
            FloatVector.fromArray(S, c, o4).add(c40).intoArray(c, o4);
            FloatVector.fromArray(S, c, o4 + VL).add(c41).intoArray(c, o4 + VL);
            FloatVector.fromArray(S, c, o4 + 2 * VL).add(c42).intoArray(c, o4 + 2 * VL);
            int o5 = ci + 5 * ldc;
            FloatVector.fromArray(S, c, o5).add(c50).intoArray(c, o5);
            FloatVector.fromArray(S, c, o5 + VL).add(c51).intoArray(c, o5 + VL);
            FloatVector.fromArray(S, c, o5 + 2 * VL).add(c52).intoArray(c, o5 + 2 * VL);
            int o6 = ci + 6 * ldc;
            FloatVector.fromArray(S, c, o6).add(c60).intoArray(c, o6);
            FloatVector.fromArray(S, c, o6 + VL).add(c61).intoArray(c, o6 + VL);
            FloatVector.fromArray(S, c, o6 + 2 * VL).add(c62).intoArray(c, o6 + 2 * VL);
            int o7 = ci + 7 * ldc;
            FloatVector.fromArray(S, c, o7).add(c70).intoArray(c, o7);
            FloatVector.fromArray(S, c, o7 + VL).add(c71).intoArray(c, o7 + VL);
            FloatVector.fromArray(S, c, o7 + 2 * VL).add(c72).intoArray(c, o7 + 2 * VL);
        } else {
            int o0 = ci;
            c00.intoArray(c, o0);
            c01.intoArray(c, o0 + VL);
            c02.intoArray(c, o0 + 2 * VL);
            int o1 = ci + ldc;
            c10.intoArray(c, o1);
            c11.intoArray(c, o1 + VL);
            c12.intoArray(c, o1 + 2 * VL);
            int o2 = ci + 2 * ldc;
            c20.intoArray(c, o2);
            c21.intoArray(c, o2 + VL);
            c22.intoArray(c, o2 + 2 * VL);
            int o3 = ci + 3 * ldc;
            c30.intoArray(c, o3);
            c31.intoArray(c, o3 + VL);
            c32.intoArray(c, o3 + 2 * VL);
            int o4 = ci + 4 * ldc;
            c40.intoArray(c, o4);
            c41.intoArray(c, o4 + VL);
            c42.intoArray(c, o4 + 2 * VL);
            int o5 = ci + 5 * ldc;
            c50.intoArray(c, o5);
            c51.intoArray(c, o5 + VL);
            c52.intoArray(c, o5 + 2 * VL);
            int o6 = ci + 6 * ldc;
            c60.intoArray(c, o6);
            c61.intoArray(c, o6 + VL);
            c62.intoArray(c, o6 + 2 * VL);
            int o7 = ci + 7 * ldc;
            c70.intoArray(c, o7);
            c71.intoArray(c, o7 + VL);
            c72.intoArray(c, o7 + 2 * VL);
        }
    }

    /**
     * The 6×2-vector micro-kernel (12 accumulators) for machines with 16 vector registers (AVX2),
     * where the 8×3 tile's 24 accumulators would spill; otherwise exactly {@link #kernelRows}.
     */
    private static void kernelRows6(int kc, float[] pa, int ai, int lda,
                                    float[] pb, int bi, float[] nb, int nbi, int nbs, float[] next,
                                    float[] c, int ci, int ldc, boolean add) {
        int a0 = ai, a1 = ai + lda, a2 = ai + 2 * lda, a3 = ai + 3 * lda, a4 = ai + 4 * lda, a5 = ai + 5 * lda;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * NR6;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + VL);
            if (next != null) { // pack the next B panel on the side; its loads are off the FMA chains
                int no = nbi + p * nbs;
                FloatVector.fromArray(S, nb, no).intoArray(next, p * NR6);
                FloatVector.fromArray(S, nb, no + VL).intoArray(next, p * NR6 + VL);
            }
            FloatVector x;
            x = FloatVector.broadcast(S, pa[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, pa[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, pa[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, pa[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, pa[a4 + p]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, pa[a5 + p]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        if (add) {
            int o0 = ci;
            FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
            FloatVector.fromArray(S, c, o0 + VL).add(c01).intoArray(c, o0 + VL);
            int o1 = ci + ldc;
            FloatVector.fromArray(S, c, o1).add(c10).intoArray(c, o1);
            FloatVector.fromArray(S, c, o1 + VL).add(c11).intoArray(c, o1 + VL);
            int o2 = ci + 2 * ldc;
            FloatVector.fromArray(S, c, o2).add(c20).intoArray(c, o2);
            FloatVector.fromArray(S, c, o2 + VL).add(c21).intoArray(c, o2 + VL);
            int o3 = ci + 3 * ldc;
            FloatVector.fromArray(S, c, o3).add(c30).intoArray(c, o3);
            FloatVector.fromArray(S, c, o3 + VL).add(c31).intoArray(c, o3 + VL);
            int o4 = ci + 4 * ldc;
            FloatVector.fromArray(S, c, o4).add(c40).intoArray(c, o4);
            FloatVector.fromArray(S, c, o4 + VL).add(c41).intoArray(c, o4 + VL);
            int o5 = ci + 5 * ldc;
            FloatVector.fromArray(S, c, o5).add(c50).intoArray(c, o5);
            FloatVector.fromArray(S, c, o5 + VL).add(c51).intoArray(c, o5 + VL);
        } else {
            int o0 = ci;
            c00.intoArray(c, o0);
            c01.intoArray(c, o0 + VL);
            int o1 = ci + ldc;
            c10.intoArray(c, o1);
            c11.intoArray(c, o1 + VL);
            int o2 = ci + 2 * ldc;
            c20.intoArray(c, o2);
            c21.intoArray(c, o2 + VL);
            int o3 = ci + 3 * ldc;
            c30.intoArray(c, o3);
            c31.intoArray(c, o3 + VL);
            int o4 = ci + 4 * ldc;
            c40.intoArray(c, o4);
            c41.intoArray(c, o4 + VL);
            int o5 = ci + 5 * ldc;
            c50.intoArray(c, o5);
            c51.intoArray(c, o5 + VL);
        }
    }

    /** As {@link #kernelRows6} with A as MR contiguous values per p, ps apart (see {@link #kernelCols}). */
    private static void kernelCols6(int kc, float[] pa, int ai, int ps,
                                    float[] pb, int bi, float[] nb, int nbi, int nbs, float[] next,
                                    float[] c, int ci, int ldc, boolean add) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * NR6, ao = ai + p * ps;
            FloatVector b0 = FloatVector.fromArray(S, pb, bo);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + VL);
            if (next != null) { // pack the next B panel on the side; its loads are off the FMA chains
                int no = nbi + p * nbs;
                FloatVector.fromArray(S, nb, no).intoArray(next, p * NR6);
                FloatVector.fromArray(S, nb, no + VL).intoArray(next, p * NR6 + VL);
            }
            FloatVector x;
            x = FloatVector.broadcast(S, pa[ao]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, pa[ao + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, pa[ao + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, pa[ao + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, pa[ao + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, pa[ao + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        if (add) {
            int o0 = ci;
            FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
            FloatVector.fromArray(S, c, o0 + VL).add(c01).intoArray(c, o0 + VL);
            int o1 = ci + ldc;
            FloatVector.fromArray(S, c, o1).add(c10).intoArray(c, o1);
            FloatVector.fromArray(S, c, o1 + VL).add(c11).intoArray(c, o1 + VL);
            int o2 = ci + 2 * ldc;
            FloatVector.fromArray(S, c, o2).add(c20).intoArray(c, o2);
            FloatVector.fromArray(S, c, o2 + VL).add(c21).intoArray(c, o2 + VL);
            int o3 = ci + 3 * ldc;
            FloatVector.fromArray(S, c, o3).add(c30).intoArray(c, o3);
            FloatVector.fromArray(S, c, o3 + VL).add(c31).intoArray(c, o3 + VL);
            int o4 = ci + 4 * ldc;
            FloatVector.fromArray(S, c, o4).add(c40).intoArray(c, o4);
            FloatVector.fromArray(S, c, o4 + VL).add(c41).intoArray(c, o4 + VL);
            int o5 = ci + 5 * ldc;
            FloatVector.fromArray(S, c, o5).add(c50).intoArray(c, o5);
            FloatVector.fromArray(S, c, o5 + VL).add(c51).intoArray(c, o5 + VL);
        } else {
            int o0 = ci;
            c00.intoArray(c, o0);
            c01.intoArray(c, o0 + VL);
            int o1 = ci + ldc;
            c10.intoArray(c, o1);
            c11.intoArray(c, o1 + VL);
            int o2 = ci + 2 * ldc;
            c20.intoArray(c, o2);
            c21.intoArray(c, o2 + VL);
            int o3 = ci + 3 * ldc;
            c30.intoArray(c, o3);
            c31.intoArray(c, o3 + VL);
            int o4 = ci + 4 * ldc;
            c40.intoArray(c, o4);
            c41.intoArray(c, o4 + VL);
            int o5 = ci + 5 * ldc;
            c50.intoArray(c, o5);
            c51.intoArray(c, o5 + VL);
        }
    }

    /** Unpacked scalar path for tiny problems: an fma chain per element, serial. */
    private static void small(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              boolean add, float[] c, int cOff, int ldc) {
        int sai = transA ? 1 : lda, sap = transA ? lda : 1;
        int sbp = transB ? 1 : ldb, sbj = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                int ia = aOff + i * sai, ib = bOff + j * sbj;
                for (int p = 0; p < k; p++) s = Math.fma(a[ia + p * sap], b[ib + p * sbp], s);
                int ci = cOff + i * ldc + j;
                c[ci] = add ? c[ci] + s : s;
            }
        }
    }
}
