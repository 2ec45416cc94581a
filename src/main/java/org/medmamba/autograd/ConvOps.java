package org.medmamba.autograd;

import org.medmamba.kernels.Conv2d;
import org.medmamba.kernels.Kernels;
import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;

/** 2-D convolution (NCHW) on the {@link Conv2d} kernel: dense, 1×1, strided patch embedding, depthwise. */
public final class ConvOps {
    private ConvOps() {}

    /** x (B, Cin, H, W), weight (Cout, Cin/groups, kh, kw), bias (Cout) or null. */
    public static Var conv2d(Var x, Var weight, Var bias, int stride, int pad, int groups) {
        int[] xs = x.shape(), ws = weight.shape();
        if (xs.length != 4 || ws.length != 4)
            throw new IllegalArgumentException("conv2d expects x (B,C,H,W) and weight (O,I,kh,kw), got " + Shape.str(xs) + ", " + Shape.str(ws));
        if (ws[1] * groups != xs[1])
            throw new IllegalArgumentException("conv2d: input channels " + xs[1] + " != weight in-channels " + ws[1] + " x groups " + groups);
        Conv2d.Geometry geo = new Conv2d.Geometry(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], stride, pad, groups);
        Conv2d k = Kernels.conv2d();
        float[] xd = x.value().data(), wd = weight.value().data();
        float[] bd = bias == null ? null : bias.value().data();
        float[] y = new float[xs[0] * ws[0] * geo.outH() * geo.outW()];
        k.forward(geo, xd, wd, bd, y);
        Var[] inputs = bias == null ? new Var[]{x, weight} : new Var[]{x, weight, bias};
        return Var.result(Tensor.of(y, xs[0], ws[0], geo.outH(), geo.outW()), g -> {
            float[] gd = g.data();
            if (x.requiresGrad()) {
                float[] dx = new float[xd.length];
                k.backwardInput(geo, gd, wd, dx);
                x.accumulate(Tensor.of(dx, xs));
            }
            boolean needW = weight.requiresGrad(), needB = bias != null && bias.requiresGrad();
            if (needW || needB) {
                float[] dw = new float[wd.length];
                float[] db = bias == null ? null : new float[ws[0]];
                k.backwardWeight(geo, xd, gd, dw, db);
                if (needW) weight.accumulate(Tensor.of(dw, ws));
                if (needB) bias.accumulate(Tensor.of(db, ws[0]));
            }
        }, inputs);
    }
}
