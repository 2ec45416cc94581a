package org.medmamba.autograd;

import org.medmamba.kernels.CrossScan;
import org.medmamba.kernels.Kernels;
import org.medmamba.kernels.QuantizedMatrix;
import org.medmamba.kernels.LayerNormRows;
import org.medmamba.kernels.Parallel;
import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;

/**
 * Forward-only fused ops for no-grad inference on channels-last activations (the model's fast
 * path). Each computes what a chain of recorded ops computes (tests compare them, and the model
 * against the PyTorch reference); they have no backward, so they refuse to run while recording
 * with a Var input that needs a gradient. Tensor arguments (folded weights, affines) are taken
 * as constants.
 */
public final class InferenceOps {
    private InferenceOps() {}

    /**
     * Depthwise 3×3 convolution (stride 1, zero padding 1) of channels [0, c) of x (B, H, W, C′),
     * read in place, → (B, H, W, c). weight (c, 1, 3, 3), bias (c) or null; with {@code silu} the
     * result is SiLU(conv).
     */
    public static Var depthwise3x3ChannelsLast(Var x, int c, Var weight, Var bias, boolean silu) {
        refuseRecording("depthwise3x3ChannelsLast", x, weight, bias);
        int[] s = x.shape();
        Tensor xv = x.value();
        if (s.length != 4 || c > s[3] || !xv.isContiguous())
            throw new IllegalArgumentException("depthwise3x3ChannelsLast expects contiguous (B, H, W, >=" + c + "), got " + Shape.str(s));
        if (weight.value().size() != 9 * c || (bias != null && bias.value().size() != c))
            throw new IllegalArgumentException("depthwise3x3ChannelsLast: weight " + Shape.str(weight.shape()) + " does not fit " + c + " channels");
        float[] y = new float[s[0] * s[1] * s[2] * c];
        Kernels.channelsLastDepthwise().forward(s[0], s[1], s[2], c, xv.storage(), xv.offset(), s[3],
                weight.value().data(), bias == null ? null : bias.value().data(), silu, y);
        return Var.result(Tensor.of(y, s[0], s[1], s[2], c), null, x);   // result(): op listeners see it
    }

    /**
     * SS2D's four-direction selective scan merged back onto the grid ({@link CrossScan}):
     * u (B, H, W, D), xdbl (B, H, W, 4·(R+2N)), wdt (4·D, R), deltaBias (4·D), a (4·D, N) = A,
     * dSkip (4·D) → (B, H, W, D).
     */
    public static Var crossScan(Var u, Var xdbl, Var wdt, Var deltaBias, Var a, Var dSkip) {
        refuseRecording("crossScan", u, xdbl, wdt, deltaBias, a, dSkip);
        int[] us = u.shape(), xs = xdbl.shape(), ws = wdt.shape(), as = a.shape();
        if (us.length != 4 || xs.length != 4 || ws.length != 2 || as.length != 2)
            throw new IllegalArgumentException("crossScan: bad ranks u" + Shape.str(us) + " xdbl" + Shape.str(xs) + " wdt" + Shape.str(ws) + " A" + Shape.str(as));
        int d = us[3], r = ws[1], n = as[1];
        CrossScan.Dims dims = new CrossScan.Dims(us[0], us[1], us[2], d, r, n);
        if (xs[0] != us[0] || xs[1] != us[1] || xs[2] != us[2] || xs[3] != dims.rowWidth() || ws[0] != 4 * d || as[0] != 4 * d
                || deltaBias.value().size() != 4 * d || dSkip.value().size() != 4 * d)
            throw new IllegalArgumentException("crossScan: inconsistent shapes u" + Shape.str(us) + " xdbl" + Shape.str(xs)
                    + " (last axis must be 4·(R+2N) = " + dims.rowWidth() + ") wdt" + Shape.str(ws) + " A" + Shape.str(as));
        float[] y = new float[u.value().size()];
        Kernels.crossScan().forward(dims, u.value().data(), xdbl.value().data(), wdt.value().data(),
                deltaBias.value().data(), a.value().data(), dSkip.value().data(), y);
        return Var.result(Tensor.of(y, us), null, u);
    }

    /**
     * LayerNorm of y over its last axis, times SiLU(z), elementwise: SS2D's
     * {@code out_norm(y) * silu(z)}. z has y's shape; its rows may be strided (the z half of
     * in_proj's output is read in place).
     */
    public static Var layerNormGate(Var y, Var weight, Var bias, float eps, Var z) {
        refuseRecording("layerNormGate", y, weight, bias, z);
        int[] ys = y.shape();
        int c = ys[ys.length - 1];
        if (!java.util.Arrays.equals(ys, z.shape()) || weight.value().size() != c || bias.value().size() != c)
            throw new IllegalArgumentException("layerNormGate: y" + Shape.str(ys) + " z" + Shape.str(z.shape())
                    + " weight" + Shape.str(weight.shape()) + " bias" + Shape.str(bias.shape()));
        Tensor zv = z.value();
        Rows zr = Rows.of(zv);
        float[] zd = zr.data();
        int zOff = zr.offset(), zs = zr.stride();
        float[] yd = y.value().data(), w = weight.value().data(), b = bias.value().data();
        int rows = yd.length / c;
        float[] out = new float[yd.length];
        LayerNormRows norm = Kernels.layerNormRows();
        Parallel.range(rows, 16, (s, e) -> {
            float[] tmp = new float[c];
            for (int r = s; r < e; r++) norm.normalizeRowGated(yd, r * c, c, w, b, zd, zOff + r * zs, out, r * c, eps, tmp);
        });
        return Var.result(Tensor.of(out, ys), null, y);
    }

    /**
     * 3×3 convolution (stride 1, zero padding 1) on channels-last x (B, H, W, Cin), rows read in
     * place: act(conv(x·inScale + inShift) + bias) → (B, H, W, Cout), the affine applied before
     * padding (a BatchNorm in front of the conv); inScale/inShift may be null. weight (Cout, Cin, 3, 3).
     */
    public static Var conv3x3ChannelsLast(Var x, Tensor inScale, Tensor inShift, Tensor weight, Tensor bias, boolean relu) {
        refuseRecording("conv3x3ChannelsLast", x);
        int[] s = x.shape(), ws = weight.shape();
        if (s.length != 4 || ws.length != 4 || ws[1] != s[3] || ws[2] != 3 || ws[3] != 3)
            throw new IllegalArgumentException("conv3x3ChannelsLast: x" + Shape.str(s) + " does not fit weight" + Shape.str(ws)
                    + " (want (B, H, W, Cin) and (Cout, Cin, 3, 3))");
        if ((inScale == null) != (inShift == null) || (inScale != null && (inScale.size() != s[3] || inShift.size() != s[3])))
            throw new IllegalArgumentException("conv3x3ChannelsLast: input scale and shift must both be (" + s[3] + ") or both absent");
        if (bias != null && bias.size() != ws[0])
            throw new IllegalArgumentException("conv3x3ChannelsLast: bias" + Shape.str(bias.shape()) + " for " + ws[0] + " output channels");
        Tensor xv = x.value();
        Rows xr = Rows.of(xv);
        float[] xd = xr.data();
        int off = xr.offset(), xs = xr.stride();
        float[] y = new float[s[0] * s[1] * s[2] * ws[0]];
        Kernels.channelsLastConv3x3().forward(s[0], s[1], s[2], s[3], ws[0], xd, off, xs,
                inScale == null ? null : inScale.data(), inShift == null ? null : inShift.data(),
                weight.data(), bias == null ? null : bias.data(), relu, y);
        return Var.result(Tensor.of(y, s[0], s[1], s[2], ws[0]), null, x);
    }

    /**
     * {@link #conv3x3ChannelsLast} with int8/int4 weights (Cout × 9·Cin, PyTorch's order):
     * act(conv(x·inScale + inShift, W)·outScale + bias); outScale (Cout) or null.
     */
    public static Var conv3x3ChannelsLastQuantized(Var x, Tensor inScale, Tensor inShift, QuantizedMatrix weight, Tensor outScale,
                                                   Tensor bias, boolean relu) {
        refuseRecording("conv3x3ChannelsLastQuantized", x);
        int[] s = x.shape();
        if (s.length != 4 || weight.cols() != 9 * s[3])
            throw new IllegalArgumentException("conv3x3ChannelsLastQuantized: x" + Shape.str(s) + " does not fit a " + weight.rows() + "x" + weight.cols()
                    + " weight (want (B, H, W, Cin) and Cout x 9·Cin)");
        int cout = weight.rows();
        if ((inScale == null) != (inShift == null) || (inScale != null && (inScale.size() != s[3] || inShift.size() != s[3])))
            throw new IllegalArgumentException("conv3x3ChannelsLastQuantized: input scale and shift must both be (" + s[3] + ") or both absent");
        if ((bias != null && bias.size() != cout) || (outScale != null && outScale.size() != cout))
            throw new IllegalArgumentException("conv3x3ChannelsLastQuantized: output scale and bias must be (" + cout + ")");
        Rows xr = Rows.of(x.value());
        float[] y = new float[s[0] * s[1] * s[2] * cout];
        Kernels.channelsLastConv3x3().forwardQuantized(s[0], s[1], s[2], s[3], cout, xr.data(), xr.offset(), xr.stride(),
                inScale == null ? null : inScale.data(), inShift == null ? null : inShift.data(), weight,
                outScale == null ? null : outScale.data(), bias == null ? null : bias.data(), relu, y);
        return Var.result(Tensor.of(y, s[0], s[1], s[2], cout), null, x);
    }

    /**
     * channel_shuffle(concat[l, s], groups 2) + x with both branches channels-last (the recorded
     * form with l in NCHW is FusedOps.shuffleConcatResidualChannelsFirst):
     * out[..., 2j] = l[..., j] + x[..., 2j], out[..., 2j+1] = s[..., j] + x[..., 2j+1].
     * l and s (B, H, W, C/2), x (B, H, W, C).
     */
    public static Var shuffleConcatResidualChannelsLast(Var l, Var s, Var x) {
        refuseRecording("shuffleConcatResidualChannelsLast", l, s, x);
        int[] xs = x.shape();
        int c = xs[xs.length - 1], half = c / 2;
        int[] hs = xs.clone();
        hs[hs.length - 1] = half;
        if (c % 2 != 0 || !java.util.Arrays.equals(l.shape(), hs) || !java.util.Arrays.equals(s.shape(), hs))
            throw new IllegalArgumentException("shuffleConcatResidual: l" + Shape.str(l.shape()) + " s" + Shape.str(s.shape()) + " x" + Shape.str(xs));
        float[] ld = l.value().data(), sd = s.value().data(), xd = x.value().data();
        float[] out = new float[xd.length];
        int pixels = xd.length / c;
        Parallel.range(pixels, 64, (st, en) -> {
            for (int p = st; p < en; p++) {
                int o = p * c, h = p * half;
                for (int j = 0; j < half; j++) {
                    out[o + 2 * j] = ld[h + j] + xd[o + 2 * j];
                    out[o + 2 * j + 1] = sd[h + j] + xd[o + 2 * j + 1];
                }
            }
        });
        return Var.result(Tensor.of(out, xs), null, l, s, x);
    }

    /**
     * x (B, H, W, C) channels-last, rows read in place, → (B, C, H, W) dense, with x·scale + shift
     * per channel on the way (a BatchNorm in eval mode; both null: a plain layout change). One
     * parallel pass instead of a serial strided copy and a second pass for the affine.
     */
    public static Var toChannelsFirst(Var x, Tensor scale, Tensor shift) {
        refuseRecording("toChannelsFirst", x);
        int[] s = x.shape();
        if (s.length != 4 || (scale == null) != (shift == null) || (scale != null && (scale.size() != s[3] || shift.size() != s[3])))
            throw new IllegalArgumentException("toChannelsFirst: x" + Shape.str(s) + " needs a (C) scale and shift or neither");
        int b = s[0], h = s[1], w = s[2], c = s[3];
        Tensor xv = x.value();
        Rows xr = Rows.of(xv);
        float[] xd = xr.data();
        int off = xr.offset(), ps = xr.stride();
        float[] sc = scale == null ? null : scale.data(), sh = shift == null ? null : shift.data();
        float[] out = new float[b * c * h * w];
        Parallel.range(b * h, 4, (st, en) -> {
            for (int row = st; row < en; row++) {
                int bi = row / h, hi = row % h;
                for (int w0 = 0; w0 < w; w0 += 16) {          // 16 pixels × all channels: reads and writes stay in cache lines
                    int w1 = Math.min(w, w0 + 16);
                    for (int ch = 0; ch < c; ch++) {
                        int o = ((bi * c + ch) * h + hi) * w, src = off + (row * w) * ps + ch;
                        if (sc == null) for (int wi = w0; wi < w1; wi++) out[o + wi] = xd[src + wi * ps];
                        else for (int wi = w0; wi < w1; wi++) out[o + wi] = Math.fma(xd[src + wi * ps], sc[ch], sh[ch]);
                    }
                }
            }
        });
        return Var.result(Tensor.of(out, b, c, h, w), null, x);
    }

    private static void refuseRecording(String op, Var... inputs) {
        if (Var.recording(inputs))
            throw new IllegalStateException(op + " is inference-only (no backward); run it under GradMode.noGrad()");
    }
}
