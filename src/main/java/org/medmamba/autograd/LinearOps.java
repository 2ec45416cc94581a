package org.medmamba.autograd;

import org.medmamba.kernels.Gemm;
import org.medmamba.kernels.Kernels;
import org.medmamba.kernels.Parallel;
import org.medmamba.kernels.QuantGemm;
import org.medmamba.kernels.QuantizedMatrix;
import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;

/** Matrix products on the GEMM kernel: batched matmul and linear layers (x·Wᵀ + b). */
public final class LinearOps {
    private LinearOps() {}

    /**
     * Batched matmul a (..., m, k) · b (..., k, n). Leading (batch) dims broadcast as in NumPy;
     * a 2-D b is shared by every batch item and runs as one large GEMM.
     */
    public static Var matmul(Var a, Var b) {
        int[] as = a.shape(), bs = b.shape();
        if (as.length < 2 || bs.length < 2) throw new IllegalArgumentException("matmul needs rank >= 2 operands");
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        if (bs[bs.length - 2] != k) throw new IllegalArgumentException("matmul: " + Shape.str(as) + " · " + Shape.str(bs) + " inner dims differ");
        Gemm gemm = Kernels.gemm();
        float[] ad = a.value().data(), bd = b.value().data();
        if (bs.length == 2) {
            int rows = ad.length / k;
            int[] os = as.clone();
            os[os.length - 1] = n;
            float[] out = new float[rows * n];
            gemm.sgemm(false, false, rows, n, k, ad, 0, k, bd, 0, n, 0f, out, 0, n);
            return Var.result(Tensor.of(out, os), g -> {
                float[] gd = g.data();
                if (a.requiresGrad()) {
                    float[] da = new float[ad.length];
                    gemm.sgemm(false, true, rows, k, n, gd, 0, n, bd, 0, n, 0f, da, 0, k);
                    a.accumulate(Tensor.of(da, as));
                }
                if (b.requiresGrad()) {
                    float[] db = new float[bd.length];
                    gemm.sgemm(true, false, k, n, rows, ad, 0, k, gd, 0, n, 0f, db, 0, n);
                    b.accumulate(Tensor.of(db, bs));
                }
            }, a, b);
        }
        int[] aBatch = java.util.Arrays.copyOf(as, as.length - 2), bBatch = java.util.Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shape.broadcast(aBatch, bBatch);
        int count = Shape.size(batch);
        int[] aIdx = batchOffsets(aBatch, batch), bIdx = batchOffsets(bBatch, batch);
        int[] os = java.util.Arrays.copyOf(batch, batch.length + 2);
        os[batch.length] = m;
        os[batch.length + 1] = n;
        float[] out = new float[count * m * n];
        eachProduct(count, i -> gemm.sgemm(false, false, m, n, k, ad, aIdx[i] * m * k, k, bd, bIdx[i] * k * n, n, 0f, out, i * m * n, n));
        return Var.result(Tensor.of(out, os), g -> {
            float[] gd = g.data();
            // A broadcast operand sums the gradients of its copies: each of its blocks is one task that adds
            // its products in batch order (the first overwrites), so the sum's order never depends on threads.
            if (a.requiresGrad()) {
                float[] da = new float[ad.length];
                int[][] users = byBlock(aIdx, ad.length / Math.max(1, m * k));
                eachProduct(users.length, j -> {
                    for (int u = 0; u < users[j].length; u++) {
                        int i = users[j][u];
                        gemm.sgemm(false, true, m, k, n, gd, i * m * n, n, bd, bIdx[i] * k * n, n, u > 0 ? 1f : 0f, da, j * m * k, k);
                    }
                });
                a.accumulate(Tensor.of(da, as));
            }
            if (b.requiresGrad()) {
                float[] db = new float[bd.length];
                int[][] users = byBlock(bIdx, bd.length / Math.max(1, k * n));
                eachProduct(users.length, j -> {
                    for (int u = 0; u < users[j].length; u++) {
                        int i = users[j][u];
                        gemm.sgemm(true, false, k, n, m, ad, aIdx[i] * m * k, k, gd, i * m * n, n, u > 0 ? 1f : 0f, db, j * k * n, n);
                    }
                });
                b.accumulate(Tensor.of(db, bs));
            }
        }, a, b);
    }

    /**
     * Runs body(0 … count−1). With at least two products per thread they are spread over the pool,
     * each product serial: SS2D's per-direction products (x_proj, dt_proj: 35–80 rows, rank 3–24) are
     * too small for the GEMM to split well, and the smallest ran on one core. With fewer, each runs
     * in order and parallel inside. A product's bits do not depend on which thread computes it.
     */
    private static void eachProduct(int count, java.util.function.IntConsumer body) {
        if (count >= 2 * Parallel.threads() && Parallel.threads() > 1)
            Parallel.range(count, (s, e) -> {
                for (int i = s; i < e; i++) body.accept(i);
            });
        else
            for (int i = 0; i < count; i++) body.accept(i);
    }

    /** For each block of an operand, the batch indices that read it, in increasing order (blocks no index reads get none). */
    private static int[][] byBlock(int[] idx, int blocks) {
        int[] counts = new int[blocks];
        for (int j : idx) counts[j]++;
        int[][] users = new int[blocks][];
        for (int j = 0; j < blocks; j++) users[j] = new int[counts[j]];
        int[] fill = new int[blocks];
        for (int i = 0; i < idx.length; i++) users[idx[i]][fill[idx[i]]++] = i;
        return users;
    }

    /** For each index of the broadcast batch shape, the flat batch index in an operand's own batch shape. */
    private static int[] batchOffsets(int[] own, int[] batch) {
        int count = Shape.size(batch), r = batch.length, off = r - own.length;
        int[] ownStrides = Shape.contiguousStrides(own);
        int[] out = new int[count];
        int[] idx = new int[r];
        for (int i = 0; i < count; i++) {
            int o = 0;
            for (int ax = off; ax < r; ax++) if (own[ax - off] != 1) o += idx[ax] * ownStrides[ax - off];
            out[i] = o;
            for (int ax = r - 1; ax >= 0; ax--) { if (++idx[ax] < batch[ax]) break; idx[ax] = 0; }
        }
        return out;
    }

    /** x·Wᵀ (+ b) for an int8/int4 weight, without a gradient (inference only). */
    public static Var linearQuantized(Var x, QuantizedMatrix w, Var bias) {
        int[] xs = x.shape();
        int in = xs[xs.length - 1], outF = w.rows();
        if (w.cols() != in) throw new IllegalArgumentException("linear: input features " + in + " != weight in-features " + w.cols());
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != outF)) throw new IllegalArgumentException("linear: bias must be (" + outF + ")");
        int rows = x.value().size() / Math.max(1, in);
        float[] out = new float[rows * outF];
        QuantGemm.multiply(rows, x.value().data(), 0, w, out, 0);
        if (bias != null) {
            float[] bd = bias.value().data();
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < outF; j++) out[r * outF + j] += bd[j];
        }
        int[] os = xs.clone();
        os[os.length - 1] = outF;
        return Var.constant(Tensor.of(out, os));
    }

    /** y = x · Wᵀ (+ bias): x (..., in), weight (out, in), bias (out) or null. */
    public static Var linear(Var x, Var weight, Var bias) {
        int[] xs = x.shape(), ws = weight.shape();
        if (ws.length != 2) throw new IllegalArgumentException("linear weight must be (out, in), got " + Shape.str(ws));
        int in = xs[xs.length - 1], outF = ws[0];
        if (ws[1] != in) throw new IllegalArgumentException("linear: input features " + in + " != weight in-features " + ws[1]);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != outF)) throw new IllegalArgumentException("linear: bias must be (" + outF + ")");
        int rows = x.value().size() / Math.max(1, in);
        Gemm gemm = Kernels.gemm();
        float[] xd = x.value().data(), wd = weight.value().data();
        float[] out = new float[rows * outF];
        if (bias != null) {
            float[] bd = bias.value().data();
            for (int r = 0; r < rows; r++) System.arraycopy(bd, 0, out, r * outF, outF);
        }
        gemm.sgemm(false, true, rows, outF, in, xd, 0, in, wd, 0, in, bias != null ? 1f : 0f, out, 0, outF);
        int[] os = xs.clone();
        os[os.length - 1] = outF;
        Var[] inputs = bias == null ? new Var[]{x, weight} : new Var[]{x, weight, bias};
        return Var.result(Tensor.of(out, os), g -> {
            float[] gd = g.data();
            if (x.requiresGrad()) {
                float[] dx = new float[xd.length];
                gemm.sgemm(false, false, rows, in, outF, gd, 0, outF, wd, 0, in, 0f, dx, 0, in);
                x.accumulate(Tensor.of(dx, xs));
            }
            if (weight.requiresGrad()) {
                float[] dw = new float[wd.length];
                gemm.sgemm(true, false, outF, in, rows, gd, 0, outF, xd, 0, in, 0f, dw, 0, in);
                weight.accumulate(Tensor.of(dw, ws));
            }
            if (bias != null && bias.requiresGrad()) {
                double[] acc = new double[outF];
                for (int r = 0; r < rows; r++) for (int j = 0; j < outF; j++) acc[j] += gd[r * outF + j];
                float[] db = new float[outF];
                for (int j = 0; j < outF; j++) db[j] = (float) acc[j];
                bias.accumulate(Tensor.of(db, outF));
            }
        }, inputs);
    }
}
