package org.medmamba.autograd;

import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;
import org.medmamba.tensor.TensorOps;

/** Sum and mean over axes, and global average pooling. */
public final class Reductions {
    private Reductions() {}

    public static Var sum(Var x, boolean keepDim, int... axes) {
        int[] xs = x.shape();
        int[] ax = normalise(axes, xs.length);
        Tensor out = TensorOps.sumAxes(x.value(), ax);
        int[] keptShape = keptShape(xs, ax);
        if (keepDim) out = out.reshape(keptShape);
        return Var.result(out, g -> x.accumulate(TensorOps.expand(g.reshape(keptShape), xs).copy()), x);
    }

    public static Var mean(Var x, boolean keepDim, int... axes) {
        int[] xs = x.shape();
        int[] ax = normalise(axes, xs.length);
        long count = 1;
        for (int a : ax) count *= xs[a];
        return Arith.mulScalar(sum(x, keepDim, ax), (float) (1.0 / count));
    }

    /** Sum of every element (a scalar of shape ()). */
    public static Var sumAll(Var x) {
        Var s = sum(x, false, allAxes(x.rank()));
        return s;
    }

    public static Var meanAll(Var x) {
        return mean(x, false, allAxes(x.rank()));
    }

    /** Channels-last global average pooling: (B, H, W, C) → (B, C). */
    public static Var globalAvgPool(Var x) {
        if (x.rank() != 4) throw new IllegalArgumentException("globalAvgPool expects (B,H,W,C), got " + Shape.str(x.shape()));
        return mean(x, false, 1, 2);
    }

    private static int[] allAxes(int r) {
        int[] a = new int[r];
        for (int i = 0; i < r; i++) a[i] = i;
        return a;
    }

    private static int[] normalise(int[] axes, int rank) {
        int[] a = new int[axes.length];
        for (int i = 0; i < a.length; i++) a[i] = Shape.axis(axes[i], rank);
        return a;
    }

    private static int[] keptShape(int[] xs, int[] ax) {
        int[] k = xs.clone();
        for (int a : ax) k[a] = 1;
        return k;
    }
}
