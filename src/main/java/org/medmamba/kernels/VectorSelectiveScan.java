package org.medmamba.kernels;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fast fp32 {@link SelectiveScan} on the Vector API.
 *
 * <p>Vectorised across channels: one vector holds the same state index n of V consecutive
 * channels of a group (a "block"), so the recurrence needs no horizontal reductions and the
 * per-step B[l,n], C[l,n] are scalar broadcasts. Inputs are transposed chunk by chunk
 * (T steps × V channels) into lane-major scratch; padding lanes of a partial block carry A = 0,
 * u = 0, dy = 0, which keeps their state and adjoint at exactly 0.
 *
 * <p>Forward keeps only the current state (N vectors) per block: no per-step state is stored.
 * Backward needs h at chunk boundaries (every T steps): a training forward hands them over in
 * {@code saved} ({@link #savedFloats}); otherwise backward first recomputes them with a forward
 * pass. Then chunks are walked from last to first, each chunk's states re-run from its
 * checkpoint into T×N scratch and the adjoint recurrence run over them.
 *
 * <p>Memory, in floats, with V lanes, N states, T = 64, nb = ⌈channels/V⌉ blocks and
 * nc = ⌈L/T⌉ chunks. Forward, per thread: the state N·V plus a few T·V chunk buffers (the
 * decays are computed in registers), independent of L — nothing per step is kept, so what autograd must save for the
 * scan is its inputs, O(B·D·L), never O(B·D·L·N), plus the saved chunk-start states, B·G·nb·nc·N·V
 * (a quarter of u at N = 16). Backward, per thread: checkpoints nb·nc·N·V (= padded channels · N ·
 * L/T; not allocated when they were saved) plus ≈ 4·T·N·V for the chunk being replayed; per call, partial
 * dA/dD/dDeltaBias of B·D·(N+2). At B=8, 4 groups × 96 channels, L=3136, N=16 that is ≈ 0.6 MB
 * per thread and 0.2 MB per call, against 617 MB for a stored state history.
 *
 * <p>exp, log1p and the sigmoid are evaluated with polynomials built from lanewise +, ×, fma and
 * bit operations only (no {@code lanewise(EXP)}), so the results are bitwise identical whether a
 * method runs interpreted, C1- or C2-compiled; with fixed task partitioning and fixed reduction
 * order the kernel is deterministic and independent of the thread count. The decays
 * 2^(Δ·A·log2 e) come from {@link VectorMath#exp2}, which {@link #decays} (backward) and the tail
 * of {@link #scanChunk} call; scanChunk's four-state body keeps one written-out copy because C2
 * does not inline four calls there; ExpTest.scanChunkDecaysEqualExp2BitForBit checks that copy
 * against exp2 bit for bit.
 */
final class VectorSelectiveScan implements SelectiveScan {

    /** Preferred species unless {@link KernelConfig#scanVectorBits} asks otherwise (testing other widths). */
    static final VectorSpecies<Float> S = pickSpecies();
    static final int V = S.length();
    /** Chunk length: transposes and backward recomputation work on T steps at a time. */
    static final int T = 64;

    private static VectorSpecies<Float> pickSpecies() {
        int bits = KernelConfig.current().scanVectorBits();
        return bits == 0 ? FloatVector.SPECIES_PREFERRED : VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    public VectorSelectiveScan() {}

    /** The species in use (V channels per vector). */
    static VectorSpecies<Float> species() {
        return S;
    }

    // ---------------------------------------------------------------- per-thread scratch

    /** Per-thread buffers, shared with {@link VectorCrossScan}. */
    static final class Scratch {
        float[] at = new float[0];      // A transposed, per block: [k][n][lane]
        float[] at2 = new float[0];     // A·log2(e), same layout: the decays are computed as 2^(Δ·A·log2 e)
        float[] bias = new float[0];    // deltaBias per block: [k][lane]
        float[] skip = new float[0];    // D per block: [k][lane]
        float[] h = new float[0];       // running state [n][lane]
        float[] dl = new float[0], dul = new float[0], ul = new float[0], sg = new float[0];
        float[] yl = new float[0], ol = new float[0];   // chunk inputs / outputs [t][lane]
        float[] hs = new float[0];      // chunk states: [(t+1)][n][lane] = h after step t, [0] = checkpoint
        float[] as = new float[0];      // chunk decays exp(Δ·A): [t][n][lane]
        float[] accB = new float[0], accC = new float[0];  // dB, dC summed over blocks, per lane: [t][n][lane]
        float[] ckpt = new float[0];    // [k][chunk][n][lane]
        float[] dh = new float[0];      // adjoint carried between chunks: [k][n][lane]
        float[] dAc = new float[0], dAt = new float[0];    // dA of the chunk / of the whole row: [k][n][lane]
        float[] dDt = new float[0], dBt = new float[0];    // dD, dDeltaBias totals: [k][lane]
        final int[] rows = new int[T];  // forward: where step t's B and C rows start
        final int[] pos = new int[T];   // cross scan: flat grid position of step t
        float[] wt = new float[0];      // cross scan: Δ projection of the block, [r][lane]

        void ensure(int nb, int n, int nChunks, boolean backward) {
            at = grow(at, nb * n * V);
            at2 = grow(at2, nb * n * V);
            bias = grow(bias, nb * V);
            skip = grow(skip, nb * V);
            h = grow(h, n * V);
            dl = grow(dl, T * V);
            dul = grow(dul, T * V);
            ul = grow(ul, T * V);
            yl = grow(yl, T * V);
            if (!backward) return;
            as = grow(as, T * n * V);
            sg = grow(sg, T * V);
            ol = grow(ol, T * V);
            hs = grow(hs, (T + 1) * n * V);
            accB = grow(accB, T * n * V);
            accC = grow(accC, T * n * V);
            ckpt = grow(ckpt, nb * nChunks * n * V);
            dh = grow(dh, nb * n * V);
            dAc = grow(dAc, n * V);
            dAt = grow(dAt, nb * n * V);
            dDt = grow(dDt, nb * V);
            dBt = grow(dBt, nb * V);
        }

        private static float[] grow(float[] a, int n) {
            return a.length >= n ? a : new float[n];
        }
    }

    static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    // ---------------------------------------------------------------- forward

    @Override
    public void forward(Dims dims, float[] u, float[] delta, float[] a, float[] b, float[] c,
                        float[] dSkip, float[] deltaBias, float[] y) {
        forward(dims, u, delta, a, b, c, dSkip, deltaBias, y, null);
    }

    /**
     * The states at every chunk start, in backward's checkpoint layout: per (batch, group), per
     * block k, per chunk j, N·V floats at ((bg·nb + k)·nChunks + j)·N·V. With them backward skips
     * its first pass (a whole forward recurrence; measured, about a fifth of its time); they are the same
     * bits that pass computes, so the gradients do not change.
     */
    @Override
    public long savedFloats(Dims dims) {
        long nb = (dims.channels() + V - 1) / V, nChunks = (dims.length() + T - 1) / T;
        return (long) dims.batch() * dims.groups() * nb * nChunks * dims.state() * V;
    }

    @Override
    public void forward(Dims dims, float[] u, float[] delta, float[] a, float[] b, float[] c,
                        float[] dSkip, float[] deltaBias, float[] y, float[] saved) {
        final int G = dims.groups(), C = dims.channels(), N = dims.state();
        final int nb = (C + V - 1) / V;
        final int tasks = dims.batch() * G * nb;
        checkSaved(dims, saved);
        Parallel.range(tasks, 1, (s, e) -> {
            Scratch sc = SCRATCH.get();
            sc.ensure(1, N, 0, false);
            for (int task = s; task < e; task++) {
                int k = task % nb, bg = task / nb;
                int bi = bg / G, g = bg % G;
                int d0 = g * C + k * V, nc = Math.min(V, C - k * V);
                loadBlockParams(sc, 0, N, d0, nc, a, deltaBias, dSkip);
                forwardBlock(sc, dims, bi, g, d0, nc, u, delta, b, c, y, saved, task);
            }
        });
    }

    private void checkSaved(Dims dims, float[] saved) {
        if (saved != null && saved.length < savedFloats(dims))
            throw new IllegalArgumentException("selective scan: saved state holds " + saved.length + " floats, needs " + savedFloats(dims));
    }

    /** One block's recurrence; with saved non-null, h at each chunk start goes to its slot (task = (bg·nb + k)). */
    private static void forwardBlock(Scratch sc, Dims dims, int bi, int g, int d0, int nc,
                                     float[] u, float[] delta, float[] b, float[] c, float[] y, float[] saved, int task) {
        final int L = dims.length(), N = dims.state(), G = dims.groups(), D = dims.totalChannels();
        final int NV = N * V, nChunks = (L + T - 1) / T;
        final float[] h = sc.h, dl = sc.dl, ul = sc.ul, yl = sc.yl;
        Arrays.fill(h, 0, N * V, 0f);
        for (int l0 = 0; l0 < L; l0 += T) {
            int tl = Math.min(T, L - l0);
            if (saved != null) System.arraycopy(h, 0, saved, (task * nChunks + l0 / T) * NV, NV);
            int base = (bi * D + d0) * L + l0;
            gather(delta, base, L, nc, tl, dl);
            gather(u, base, L, nc, tl, ul);
            prepare(sc, 0, tl, false);
            for (int t = 0, bc = ((bi * G + g) * L + l0) * N; t < tl; t++, bc += N) sc.rows[t] = bc;
            scanChunk(sc, tl, N, b, 0, c, 0);
            scatter(yl, y, base, L, nc, tl);
        }
    }

    /**
     * One chunk of the forward recurrence with the decays computed on the fly: h_n ← e^{Δ_t·A_n}·h_n
     * + Δu_t·B_t[n] and y_t = D·u_t + Σ_n C_t[n]·h_n into yl. States are taken four at a time
     * through all tl steps (n outer, t inner), so the four h_n and A_n stay in registers and the
     * decays never go through memory; y_t is accumulated in n order. Step t's B_t[n] is
     * b[rows[t] + bOff + n] and C_t[n] is c[rows[t] + cOff + n].
     */
    static void scanChunk(Scratch sc, int tl, int N, float[] b, int bOff, float[] c, int cOff) {
        final float[] h = sc.h, dl = sc.dl, dul = sc.dul, ul = sc.ul, yl = sc.yl, at2 = sc.at2;
        final int[] rows = sc.rows;
        FloatVector skip = FloatVector.fromArray(S, sc.skip, 0);
        for (int t = 0; t < tl; t++)
            skip.mul(FloatVector.fromArray(S, ul, t * V)).intoArray(yl, t * V);
        final FloatVector c5 = FloatVector.broadcast(S, ScalarMath.P5), c4 = FloatVector.broadcast(S, ScalarMath.P4);
        final FloatVector c3 = FloatVector.broadcast(S, ScalarMath.P3), c2 = FloatVector.broadcast(S, ScalarMath.P2);
        final FloatVector c1 = FloatVector.broadcast(S, ScalarMath.P1), c0 = FloatVector.broadcast(S, 1f);
        final FloatVector magic = FloatVector.broadcast(S, ScalarMath.MAGIC), floor = FloatVector.broadcast(S, ScalarMath.EXP2_FLOOR);
        int n = 0;
        for (; n + 4 <= N; n += 4) {
            FloatVector a0 = FloatVector.fromArray(S, at2, n * V), a1 = FloatVector.fromArray(S, at2, (n + 1) * V);
            FloatVector a2 = FloatVector.fromArray(S, at2, (n + 2) * V), a3 = FloatVector.fromArray(S, at2, (n + 3) * V);
            FloatVector h0 = FloatVector.fromArray(S, h, n * V), h1 = FloatVector.fromArray(S, h, (n + 1) * V);
            FloatVector h2 = FloatVector.fromArray(S, h, (n + 2) * V), h3 = FloatVector.fromArray(S, h, (n + 3) * V);
            for (int t = 0; t < tl; t++) {
                int bb = rows[t] + bOff + n, cc = rows[t] + cOff + n;
                FloatVector dt = FloatVector.fromArray(S, dl, t * V), dtu = FloatVector.fromArray(S, dul, t * V);
                FloatVector acc = FloatVector.fromArray(S, yl, t * V);
                // VectorMath.exp2(Δ·A_n·log2 e), written out: with four calls here C2 stops inlining
                // (NodeCountInliningCutoff) and the forward ran 2.3× slower (docs/bench-2026-12-02-kernels-cleanup.txt);
                // two calls (two-state unroll) or one call site in a loop over the four states inline,
                // but the forward was +4..10% and −1.5..+4.7% slower (docs/bench-2026-12-02-exp2-once.txt).
                // Same operations as exp2; ExpTest.scanChunkDecaysEqualExp2BitForBit checks the bits match.
                FloatVector v0 = dt.mul(a0).max(floor), v1 = dt.mul(a1).max(floor);
                FloatVector v2 = dt.mul(a2).max(floor), v3 = dt.mul(a3).max(floor);
                FloatVector m0 = v0.add(magic), m1 = v1.add(magic), m2 = v2.add(magic), m3 = v3.add(magic);
                FloatVector r0 = v0.sub(m0.sub(magic)), r1 = v1.sub(m1.sub(magic));
                FloatVector r2 = v2.sub(m2.sub(magic)), r3 = v3.sub(m3.sub(magic));
                FloatVector p0 = r0.fma(c5, c4).fma(r0, c3).fma(r0, c2).fma(r0, c1).fma(r0, c0);
                FloatVector p1 = r1.fma(c5, c4).fma(r1, c3).fma(r1, c2).fma(r1, c1).fma(r1, c0);
                FloatVector p2 = r2.fma(c5, c4).fma(r2, c3).fma(r2, c2).fma(r2, c1).fma(r2, c0);
                FloatVector p3 = r3.fma(c5, c4).fma(r3, c3).fma(r3, c2).fma(r3, c1).fma(r3, c0);
                FloatVector e0 = p0.reinterpretAsInts().add(m0.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
                FloatVector e1 = p1.reinterpretAsInts().add(m1.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
                FloatVector e2 = p2.reinterpretAsInts().add(m2.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
                FloatVector e3 = p3.reinterpretAsInts().add(m3.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
                h0 = dtu.fma(FloatVector.broadcast(S, b[bb]), e0.mul(h0));
                h1 = dtu.fma(FloatVector.broadcast(S, b[bb + 1]), e1.mul(h1));
                h2 = dtu.fma(FloatVector.broadcast(S, b[bb + 2]), e2.mul(h2));
                h3 = dtu.fma(FloatVector.broadcast(S, b[bb + 3]), e3.mul(h3));
                acc = h0.fma(FloatVector.broadcast(S, c[cc]), acc);
                acc = h1.fma(FloatVector.broadcast(S, c[cc + 1]), acc);
                acc = h2.fma(FloatVector.broadcast(S, c[cc + 2]), acc);
                acc = h3.fma(FloatVector.broadcast(S, c[cc + 3]), acc);
                acc.intoArray(yl, t * V);
            }
            h0.intoArray(h, n * V);
            h1.intoArray(h, (n + 1) * V);
            h2.intoArray(h, (n + 2) * V);
            h3.intoArray(h, (n + 3) * V);
        }
        for (; n < N; n++) {   // N not a multiple of 4: one state at a time
            FloatVector a0 = FloatVector.fromArray(S, at2, n * V), h0 = FloatVector.fromArray(S, h, n * V);
            for (int t = 0; t < tl; t++) {
                int bb = rows[t] + bOff + n, cc = rows[t] + cOff + n;
                FloatVector dt = FloatVector.fromArray(S, dl, t * V), dtu = FloatVector.fromArray(S, dul, t * V);
                FloatVector e0 = VectorMath.exp2(dt.mul(a0));
                h0 = dtu.fma(FloatVector.broadcast(S, b[bb]), e0.mul(h0));
                h0.fma(FloatVector.broadcast(S, c[cc]), FloatVector.fromArray(S, yl, t * V)).intoArray(yl, t * V);
            }
            h0.intoArray(h, n * V);
        }
    }

    // ---------------------------------------------------------------- backward

    @Override
    public void backward(Dims dims, float[] u, float[] delta, float[] a, float[] b, float[] c,
                         float[] dSkip, float[] deltaBias, float[] dy,
                         float[] du, float[] dDelta, float[] dA, float[] dB, float[] dC,
                         float[] dDSkip, float[] dDeltaBias) {
        backward(dims, u, delta, a, b, c, dSkip, deltaBias, dy, du, dDelta, dA, dB, dC, dDSkip, dDeltaBias, null);
    }

    @Override
    public void backward(Dims dims, float[] u, float[] delta, float[] a, float[] b, float[] c,
                         float[] dSkip, float[] deltaBias, float[] dy,
                         float[] du, float[] dDelta, float[] dA, float[] dB, float[] dC,
                         float[] dDSkip, float[] dDeltaBias, float[] saved) {
        final int Bn = dims.batch(), G = dims.groups(), N = dims.state(), D = dims.totalChannels();
        checkSaved(dims, saved);
        // One task per (batch, group): it owns dB/dC of that slice outright (summing all the
        // group's channels itself); dA, dD and dDeltaBias, shared by the batch, go to per-batch
        // partials reduced afterwards in batch order, so the result never depends on scheduling.
        final float[] pA = new float[Bn * D * N], pD = new float[Bn * D], pBias = new float[Bn * D];
        Parallel.range(Bn * G, 1, (s, e) -> {
            for (int task = s; task < e; task++)
                backwardTask(SCRATCH.get(), dims, task / G, task % G, u, delta, a, b, c, dSkip, deltaBias, dy,
                        du, dDelta, dB, dC, pA, pD, pBias, saved);
        });
        for (int i = 0; i < D * N; i++) {
            float s = 0;
            for (int bi = 0; bi < Bn; bi++) s += pA[bi * D * N + i];
            dA[i] = s;
        }
        for (int i = 0; i < D; i++) {
            float s = 0, t = 0;
            for (int bi = 0; bi < Bn; bi++) {
                s += pD[bi * D + i];
                t += pBias[bi * D + i];
            }
            dDSkip[i] = s;
            dDeltaBias[i] = t;
        }
    }

    private static void backwardTask(Scratch sc, Dims dims, int bi, int g,
                                     float[] u, float[] delta, float[] a, float[] b, float[] c,
                                     float[] dSkip, float[] deltaBias, float[] dy,
                                     float[] du, float[] dDelta, float[] dB, float[] dC,
                                     float[] pA, float[] pD, float[] pBias, float[] saved) {
        final int L = dims.length(), N = dims.state(), G = dims.groups(), C = dims.channels(), D = dims.totalChannels();
        final int nb = (C + V - 1) / V, nChunks = (L + T - 1) / T, NV = N * V;
        sc.ensure(nb, N, saved == null ? nChunks : 0, true);
        final float[] h = sc.h, dl = sc.dl, ul = sc.ul, dyl = sc.yl;
        // Checkpoints: this (batch, group)'s slice of what the forward saved, or recomputed into scratch.
        final float[] ckpt = saved != null ? saved : sc.ckpt;
        final int ck0 = saved != null ? (bi * G + g) * nb * nChunks * NV : 0;

        // 1. Forward over the whole row, keeping h only at chunk starts (unless the forward saved them).
        for (int k = 0; k < nb; k++) {
            int d0 = g * C + k * V, nc = Math.min(V, C - k * V);
            loadBlockParams(sc, k, N, d0, nc, a, deltaBias, dSkip);
            if (saved != null) continue;
            Arrays.fill(h, 0, NV, 0f);
            for (int j = 0; j < nChunks; j++) {
                int l0 = j * T, tl = Math.min(T, L - l0);
                System.arraycopy(h, 0, sc.ckpt, (k * nChunks + j) * NV, NV);
                if (j == nChunks - 1) break;   // the last chunk's end state is never needed
                int base = (bi * D + d0) * L + l0;
                gather(delta, base, L, nc, tl, dl);
                gather(u, base, L, nc, tl, ul);
                prepare(sc, k, tl, false);
                decays(dl, tl, sc.at2, k * NV, N, sc.as);
                advance(sc.as, sc.dul, h, b, ((bi * G + g) * L + l0) * N, tl, N);
            }
        }

        // 2. Adjoint, chunk by chunk from the end; within a chunk every block of the group in turn.
        Arrays.fill(sc.dh, 0, nb * NV, 0f);
        Arrays.fill(sc.dAt, 0, nb * NV, 0f);
        Arrays.fill(sc.dDt, 0, nb * V, 0f);
        Arrays.fill(sc.dBt, 0, nb * V, 0f);
        for (int j = nChunks - 1; j >= 0; j--) {
            int l0 = j * T, tl = Math.min(T, L - l0);
            int bc0 = ((bi * G + g) * L + l0) * N;
            for (int k = 0; k < nb; k++) {
                int d0 = g * C + k * V, nc = Math.min(V, C - k * V);
                int base = (bi * D + d0) * L + l0;
                gather(delta, base, L, nc, tl, dl);
                gather(u, base, L, nc, tl, ul);
                gather(dy, base, L, nc, tl, dyl);
                prepare(sc, k, tl, true);
                System.arraycopy(ckpt, ck0 + (k * nChunks + j) * NV, sc.hs, 0, NV);
                decays(dl, tl, sc.at2, k * NV, N, sc.as);
                replay(sc, tl, N, b, bc0, k == 0);
                adjoint(sc, k, tl, N, b, c, bc0, k == 0);
                scatter(sc.ol, du, base, L, nc, tl);
                scatter(sc.dul, dDelta, base, L, nc, tl);
            }
            laneSums(sc.accB, dB, bc0, tl * N);
            laneSums(sc.accC, dC, bc0, tl * N);
        }

        // 3. This batch item's share of dA, dD, dDeltaBias.
        for (int k = 0; k < nb; k++) {
            int d0 = g * C + k * V, nc = Math.min(V, C - k * V);
            for (int lane = 0; lane < nc; lane++) {
                int d = d0 + lane;
                for (int n = 0; n < N; n++) pA[(bi * D + d) * N + n] = sc.dAt[k * NV + n * V + lane];
                pD[bi * D + d] = sc.dDt[k * V + lane];
                pBias[bi * D + d] = sc.dBt[k * V + lane];
            }
        }
    }

    /**
     * out[o + i] = Σ_lane acc[i·V + lane] for i < rows. Scalar in a fixed order (reduceLanes' order
     * is unspecified, so it could differ between interpreted and compiled code); four interleaved
     * partial sums keep it from being bound by the add latency.
     */
    private static void laneSums(float[] acc, float[] out, int o, int rows) {
        if (V % 4 != 0) {
            for (int i = 0; i < rows; i++) {
                float s = 0;
                for (int lane = 0; lane < V; lane++) s += acc[i * V + lane];
                out[o + i] = s;
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            int p = i * V;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int lane = 0; lane < V; lane += 4) {
                s0 += acc[p + lane];
                s1 += acc[p + lane + 1];
                s2 += acc[p + lane + 2];
                s3 += acc[p + lane + 3];
            }
            out[o + i] = (s0 + s1) + (s2 + s3);
        }
    }

    /** h ← a_t ⊙ h + Δu_t·B_t for the chunk's tl steps (decays in as, Δu in dul, B rows from bc). */
    private static void advance(float[] as, float[] dul, float[] h, float[] b, int bc, int tl, int N) {
        for (int t = 0, o = 0; t < tl; t++, bc += N) {
            FloatVector dtu = FloatVector.fromArray(S, dul, t * V);
            for (int n = 0; n < N; n++, o += V) {
                FloatVector an = FloatVector.fromArray(S, as, o);
                dtu.fma(FloatVector.broadcast(S, b[bc + n]), an.mul(FloatVector.fromArray(S, h, n * V))).intoArray(h, n * V);
            }
        }
    }

    /**
     * Re-runs the chunk's states from the checkpoint in hs[0]: hs[t+1] = h after step t. dC needs
     * only h_t, so its per-lane terms dy_t·h_t are summed (over blocks) into accC here.
     */
    private static void replay(Scratch sc, int tl, int N, float[] b, int bc, boolean first) {
        final float[] as = sc.as, hs = sc.hs, dul = sc.dul, dyl = sc.yl, accC = sc.accC;
        final int NV = N * V;
        for (int t = 0; t < tl; t++, bc += N) {
            FloatVector dtu = FloatVector.fromArray(S, dul, t * V);
            FloatVector dyv = FloatVector.fromArray(S, dyl, t * V);
            int tn = t * NV;
            for (int n = 0, o = tn; n < N; n++, o += V) {
                FloatVector an = FloatVector.fromArray(S, as, o);
                FloatVector hn = dtu.fma(FloatVector.broadcast(S, b[bc + n]), an.mul(FloatVector.fromArray(S, hs, o)));
                hn.intoArray(hs, o + NV);
                (first ? dyv.mul(hn) : dyv.fma(hn, FloatVector.fromArray(S, accC, o))).intoArray(accC, o);
            }
        }
    }

    /**
     * The adjoint recurrence over the chunk, t from tl−1 down to 0, for block k (see
     * ReferenceSelectiveScan.backwardDouble for the scalar form). Carries dh across chunks in
     * sc.dh; writes du to ol and dDelta to dul (Δu of step t is read before it is overwritten);
     * sums dB terms over blocks into accB and adds the chunk's dA, dD, dDeltaBias to the row totals.
     */
    private static void adjoint(Scratch sc, int k, int tl, int N, float[] b, float[] c, int bc0, boolean first) {
        final float[] as = sc.as, hs = sc.hs, dl = sc.dl, dul = sc.dul, ul = sc.ul, dyl = sc.yl, sg = sc.sg;
        final float[] ol = sc.ol, dh = sc.dh, dAc = sc.dAc, at = sc.at, accB = sc.accB;
        final int NV = N * V, kOff = k * NV;
        Arrays.fill(dAc, 0, NV, 0f);
        FloatVector skip = FloatVector.fromArray(S, sc.skip, k * V);
        FloatVector dDc = FloatVector.zero(S), dBiasc = FloatVector.zero(S);
        int bc = bc0 + (tl - 1) * N;
        for (int t = tl - 1; t >= 0; t--, bc -= N) {
            FloatVector dt = FloatVector.fromArray(S, dl, t * V);
            FloatVector dtu = FloatVector.fromArray(S, dul, t * V);
            FloatVector uv = FloatVector.fromArray(S, ul, t * V);
            FloatVector dyv = FloatVector.fromArray(S, dyl, t * V);
            FloatVector ddt = FloatVector.zero(S), dus = FloatVector.zero(S);
            int tn = t * NV;
            for (int n = 0, nv = 0; n < N; n++, nv += V) {
                FloatVector dhn = dyv.fma(FloatVector.broadcast(S, c[bc + n]), FloatVector.fromArray(S, dh, kOff + nv));   // dL/dh_t
                FloatVector an = FloatVector.fromArray(S, as, tn + nv);
                FloatVector q = dhn.mul(FloatVector.fromArray(S, hs, tn + nv)).mul(an);            // dh·h_{t−1}·a
                dt.fma(q, FloatVector.fromArray(S, dAc, nv)).intoArray(dAc, nv);
                ddt = q.fma(FloatVector.fromArray(S, at, kOff + nv), ddt);
                dus = dhn.fma(FloatVector.broadcast(S, b[bc + n]), dus);                                               // Σ_n dh·B
                (first ? dhn.mul(dtu) : dhn.fma(dtu, FloatVector.fromArray(S, accB, tn + nv))).intoArray(accB, tn + nv);
                dhn.mul(an).intoArray(dh, kOff + nv);                                               // carry to h_{t−1}
            }
            dDc = dyv.fma(uv, dDc);
            dt.fma(dus, dyv.mul(skip)).intoArray(ol, t * V);                                       // du
            FloatVector dd = uv.fma(dus, ddt).mul(FloatVector.fromArray(S, sg, t * V));             // dDelta
            dBiasc = dBiasc.add(dd);
            dd.intoArray(dul, t * V);
        }
        // Chunk sums go into the row totals separately: shorter float sums than one running sum over L.
        for (int i = 0; i < NV; i += V)
            FloatVector.fromArray(S, sc.dAt, kOff + i).add(FloatVector.fromArray(S, dAc, i)).intoArray(sc.dAt, kOff + i);
        FloatVector.fromArray(S, sc.dDt, k * V).add(dDc).intoArray(sc.dDt, k * V);
        FloatVector.fromArray(S, sc.dBt, k * V).add(dBiasc).intoArray(sc.dBt, k * V);
    }

    // ---------------------------------------------------------------- helpers

    /** A (transposed to [n][lane]), deltaBias and D of channels d0..d0+nc into block slot k; padding lanes 0. */
    static void loadBlockParams(Scratch sc, int k, int N, int d0, int nc,
                                        float[] a, float[] deltaBias, float[] dSkip) {
        int aOff = k * N * V;
        Arrays.fill(sc.at, aOff, aOff + N * V, 0f);
        Arrays.fill(sc.at2, aOff, aOff + N * V, 0f);
        Arrays.fill(sc.bias, k * V, k * V + V, 0f);
        Arrays.fill(sc.skip, k * V, k * V + V, 0f);
        for (int lane = 0; lane < nc; lane++) {
            int d = d0 + lane;
            for (int n = 0; n < N; n++) {
                sc.at[aOff + n * V + lane] = a[d * N + n];
                sc.at2[aOff + n * V + lane] = a[d * N + n] * LOG2E;
            }
            sc.bias[k * V + lane] = deltaBias[d];
            sc.skip[k * V + lane] = dSkip[d];
        }
    }

    /** src rows base, base+L, … (nc of them), steps 0..tl-1 → dst[t·V + lane]; padding lanes 0. */
    private static void gather(float[] src, int base, int L, int nc, int tl, float[] dst) {
        if (nc < V) Arrays.fill(dst, 0, tl * V, 0f);
        for (int lane = 0; lane < nc; lane++) {
            int row = base + lane * L;
            for (int t = 0; t < tl; t++) dst[t * V + lane] = src[row + t];
        }
    }

    /** Inverse of {@link #gather}, valid lanes only. */
    private static void scatter(float[] src, float[] dst, int base, int L, int nc, int tl) {
        for (int lane = 0; lane < nc; lane++) {
            int row = base + lane * L;
            for (int t = 0; t < tl; t++) dst[row + t] = src[t * V + lane];
        }
    }

    /**
     * dl (raw delta) → Δ = softplus(delta + bias); dul = Δ·u; with sigmoid, sg = dΔ/d delta.
     * softplus(v) = max(v, 0) + log1p(e^−|v|): no overflow, full precision for v ≪ 0.
     */
    static void prepare(Scratch sc, int k, int tl, boolean sigmoid) {
        final float[] dl = sc.dl, dul = sc.dul, ul = sc.ul, sg = sc.sg;
        final int n = tl * V;
        FloatVector bias = FloatVector.fromArray(S, sc.bias, k * V);
        for (int i = 0; i < n; i += V) {
            FloatVector v = FloatVector.fromArray(S, dl, i).add(bias);
            v.intoArray(dl, i);
            v.abs().neg().intoArray(dul, i);
        }
        VectorMath.expInPlace(dul, 0, n);                         // z = e^−|v|
        if (sigmoid) {
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (int i = 0; i < n; i += V) {
                // σ(v) = 1/(1+e^−v) = (v < 0 ? z : 1)/(1+z); slope 1 above the threshold.
                FloatVector v = FloatVector.fromArray(S, dl, i), z = FloatVector.fromArray(S, dul, i);
                FloatVector num = one.blend(z, v.compare(VectorOperators.LT, 0f));
                num.div(one.add(z)).blend(one, v.compare(VectorOperators.GT, 20f)).intoArray(sg, i);
            }
        }
        VectorMath.log1pUnitInPlace(dul, 0, n);
        for (int i = 0; i < n; i += V) {
            FloatVector v = FloatVector.fromArray(S, dl, i);
            FloatVector dt = v.max(0f).add(FloatVector.fromArray(S, dul, i)).blend(v, v.compare(VectorOperators.GT, 20f));
            dt.intoArray(dl, i);
            dt.mul(FloatVector.fromArray(S, ul, i)).intoArray(dul, i);
        }
    }

    /**
     * as[(t·N + n)·V + lane] = exp(Δ_t·A_n) = 2^(Δ_t·A_n·log2 e) for the chunk's tl steps; at2 holds
     * A·log2(e) of the block at aOff. The same arithmetic as the forward's {@link #scanChunk}, so the
     * backward replays exactly the forward's states.
     */
    static void decays(float[] dl, int tl, float[] at2, int aOff, int N, float[] as) {
        for (int t = 0, o = 0; t < tl; t++) {
            FloatVector dt = FloatVector.fromArray(S, dl, t * V);
            for (int n = 0; n < N; n++, o += V)
                VectorMath.exp2(dt.mul(FloatVector.fromArray(S, at2, aOff + n * V))).intoArray(as, o);
        }
    }

    private static final float LOG2E = 1.44269504088896341f;
}
