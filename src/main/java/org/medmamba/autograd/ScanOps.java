package org.medmamba.autograd;

import org.medmamba.kernels.Kernels;
import org.medmamba.kernels.SelectiveScan;
import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;

/**
 * The fused selective scan as one autograd op. The tape saves only references to the inputs
 * (O(B·D·L) for u and δ, O(B·K·L·N) for B and C) and the states at chunk starts the kernel saves;
 * the kernel's backward recomputes the hidden states chunk by chunk from those, so no (B·D·L·N)
 * state history is ever kept.
 */
public final class ScanOps {
    private ScanOps() {}

    /**
     * @param u         (B, K·D, L)
     * @param delta     (B, K·D, L), before softplus and bias
     * @param a         (K·D, N), A itself (negative)
     * @param b         (B, K, L, N)
     * @param c         (B, K, L, N)
     * @param d         (K·D) skip weights
     * @param deltaBias (K·D)
     */
    public static Var selectiveScan(Var u, Var delta, Var a, Var b, Var c, Var d, Var deltaBias) {
        int[] us = u.shape(), bs = b.shape(), as = a.shape();
        if (us.length != 3 || bs.length != 4 || as.length != 2)
            throw new IllegalArgumentException("selectiveScan: bad ranks u" + Shape.str(us) + " B" + Shape.str(bs) + " A" + Shape.str(as));
        int batch = us[0], total = us[1], len = us[2], groups = bs[1], n = bs[3];
        if (total % groups != 0 || bs[0] != batch || bs[2] != len || as[0] != total || as[1] != n
                || !java.util.Arrays.equals(delta.shape(), us) || !java.util.Arrays.equals(c.shape(), bs)
                || d.value().size() != total || deltaBias.value().size() != total)
            throw new IllegalArgumentException("selectiveScan: inconsistent shapes u" + Shape.str(us) + " δ" + Shape.str(delta.shape())
                    + " A" + Shape.str(as) + " B" + Shape.str(bs) + " C" + Shape.str(c.shape()));
        SelectiveScan.Dims dims = new SelectiveScan.Dims(batch, groups, total / groups, len, n);
        SelectiveScan k = Kernels.selectiveScan();
        float[] ud = u.value().data(), dd = delta.value().data(), ad = a.value().data(), bd = b.value().data(),
                cd = c.value().data(), skip = d.value().data(), bias = deltaBias.value().data();
        float[] y = new float[ud.length];
        // Training: the kernel keeps what its backward would otherwise recompute (for the vector
        // kernel, the states at chunk starts: N·⌈L/64⌉ floats per channel, padded to whole vectors, a quarter of u's size at N = 16).
        long savedLen = Var.recording(u, delta, a, b, c, d, deltaBias) ? k.savedFloats(dims) : 0;
        float[] saved = savedLen > 0 && savedLen <= Integer.MAX_VALUE - 16 ? new float[(int) savedLen] : null;
        k.forward(dims, ud, dd, ad, bd, cd, skip, bias, y, saved);
        return Var.result(Tensor.of(y, us), g -> {
            float[] du = new float[ud.length], dDelta = new float[dd.length], dA = new float[ad.length],
                    dB = new float[bd.length], dC = new float[cd.length], dD = new float[skip.length], dBias = new float[bias.length];
            k.backward(dims, ud, dd, ad, bd, cd, skip, bias, g.data(), du, dDelta, dA, dB, dC, dD, dBias, saved);
            u.accumulate(Tensor.of(du, us));
            delta.accumulate(Tensor.of(dDelta, us));
            a.accumulate(Tensor.of(dA, as));
            b.accumulate(Tensor.of(dB, bs));
            c.accumulate(Tensor.of(dC, bs));
            d.accumulate(Tensor.of(dD, d.shape()));
            deltaBias.accumulate(Tensor.of(dBias, deltaBias.shape()));
        }, u, delta, a, b, c, d, deltaBias);
    }
}
