package org.medmamba.autograd;

import org.medmamba.kernels.Parallel;
import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;

/** Fused layout ops of the SS-Conv-SSM block: one pass where the op-by-op form copies three times. */
public final class FusedOps {
    private FusedOps() {}

    /**
     * channel_shuffle(concat[l, s], groups 2) + x, with the conv branch l channels-first (NCHW);
     * recorded (has a backward). The all-channels-last form is InferenceOps.shuffleConcatResidualChannelsLast:
     * out[b,h,w,2j] = l[b,j,h,w] + x[b,h,w,2j], out[b,h,w,2j+1] = s[b,h,w,j] + x[b,h,w,2j+1].
     *
     * @param l conv branch (B, C/2, H, W)
     * @param s SSM branch (B, H, W, C/2), any layout
     * @param x block input (B, H, W, C)
     */
    public static Var shuffleConcatResidualChannelsFirst(Var l, Var s, Var x) {
        int[] xs = x.shape(), ls = l.shape(), ss = s.shape();
        int b = xs[0], h = xs[1], w = xs[2], c = xs[3], half = c / 2, hw = h * w;
        if (xs.length != 4 || c % 2 != 0 || !java.util.Arrays.equals(ls, new int[]{b, half, h, w})
                || !java.util.Arrays.equals(ss, new int[]{b, h, w, half}))
            throw new IllegalArgumentException("shuffleConcatResidual: shapes l" + Shape.str(ls) + " s" + Shape.str(ss) + " x" + Shape.str(xs));
        float[] ld = l.value().data(), sd = s.value().data(), xd = x.value().data();
        float[] out = new float[xd.length];
        Parallel.range(b * h, 4, (st, en) -> {
            for (int bh = st; bh < en; bh++) {
                int bi = bh / h, hi = bh % h;
                for (int wi = 0; wi < w; wi++) {
                    int p = (bh * w + wi), o = p * c, so = p * half, lo = bi * half * hw + hi * w + wi;
                    for (int j = 0; j < half; j++) {
                        out[o + 2 * j] = ld[lo + j * hw] + xd[o + 2 * j];
                        out[o + 2 * j + 1] = sd[so + j] + xd[o + 2 * j + 1];
                    }
                }
            }
        });
        return Var.result(Tensor.of(out, xs), g -> {
            float[] gd = g.data();
            if (l.requiresGrad() || s.requiresGrad()) {
                float[] dl = new float[ld.length], ds = new float[sd.length];
                Parallel.range(b * h, 4, (st, en) -> {
                    for (int bh = st; bh < en; bh++) {
                        int bi = bh / h, hi = bh % h;
                        for (int wi = 0; wi < w; wi++) {
                            int p = (bh * w + wi), o = p * c, so = p * half, lo = bi * half * hw + hi * w + wi;
                            for (int j = 0; j < half; j++) {
                                dl[lo + j * hw] = gd[o + 2 * j];
                                ds[so + j] = gd[o + 2 * j + 1];
                            }
                        }
                    }
                });
                l.accumulate(Tensor.of(dl, ls));
                s.accumulate(Tensor.of(ds, ss));
            }
            x.accumulate(g);
        }, l, s, x);
    }
}
