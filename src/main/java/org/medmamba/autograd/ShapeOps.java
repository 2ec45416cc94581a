package org.medmamba.autograd;

import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;
import org.medmamba.tensor.TensorOps;

/** Layout operations. Views where the tensor engine allows (no data copied); gradients are views back. */
public final class ShapeOps {
    private ShapeOps() {}

    public static Var reshape(Var x, int... shape) {
        int[] xs = x.shape();
        return Var.result(x.value().reshape(shape), g -> x.accumulate(g.reshape(xs)), x);
    }

    public static Var permute(Var x, int... axes) {
        int[] inv = new int[axes.length];
        for (int i = 0; i < axes.length; i++) inv[Shape.axis(axes[i], axes.length)] = i;
        return Var.result(x.value().permute(axes), g -> x.accumulate(g.permute(inv)), x);
    }

    public static Var transpose(Var x, int a, int b) {
        return Var.result(x.value().transpose(a, b), g -> x.accumulate(g.transpose(a, b)), x);
    }

    /** Materialises a dense copy (identity for gradients). */
    public static Var contiguous(Var x) {
        Tensor v = x.value();
        if (v.isDense()) return x;
        return Var.result(v.contiguous(), x::accumulate, x);
    }

    public static Var flip(Var x, int... axes) {
        return Var.result(x.value().flip(axes), g -> x.accumulate(g.flip(axes)), x);
    }

    /** x[start:end:step] along axis. */
    public static Var slice(Var x, int axis, int start, int end, int step) {
        int[] xs = x.shape();
        return Var.result(x.value().slice(axis, start, end, step), g -> {
            Tensor z = Tensor.zeros(xs);
            TensorOps.assign(z.slice(axis, start, end, step), g);
            x.accumulate(z);
        }, x);
    }

    public static Var slice(Var x, int axis, int start, int end) {
        return slice(x, axis, start, end, 1);
    }

    public static Var concat(int axis, Var... parts) {
        Tensor[] ts = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) ts[i] = parts[i].value();
        Tensor out = TensorOps.concat(ts, axis);
        int a = Shape.axis(axis, out.rank());
        return Var.result(out, g -> {
            int pos = 0;
            for (Var p : parts) {
                int len = p.dim(a);
                p.accumulate(g.slice(a, pos, pos + len));
                pos += len;
            }
        }, parts);
    }

    /** Splits along axis into pieces of the given sizes (views). */
    public static Var[] split(Var x, int axis, int... sizes) {
        int a = Shape.axis(axis, x.rank());
        int total = 0;
        for (int s : sizes) total += s;
        if (total != x.dim(a)) throw new IllegalArgumentException("split sizes sum to " + total + ", axis has " + x.dim(a));
        Var[] out = new Var[sizes.length];
        int pos = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = slice(x, a, pos, pos + sizes[i]);
            pos += sizes[i];
        }
        return out;
    }

    /** n equal pieces along axis. */
    public static Var[] chunk(Var x, int n, int axis) {
        int d = x.dim(axis);
        if (d % n != 0) throw new IllegalArgumentException("chunk: axis of size " + d + " not divisible by " + n);
        int[] sizes = new int[n];
        java.util.Arrays.fill(sizes, d / n);
        return split(x, axis, sizes);
    }

    /**
     * ShuffleNet channel shuffle on the last axis: channels viewed as (groups, C/groups),
     * transposed, flattened — with groups 2, [a0..a(k-1), b0..b(k-1)] → [a0, b0, a1, b1, ...].
     */
    public static Var channelShuffleLast(Var x, int groups) {
        int[] s = x.shape();
        int r = s.length, c = s[r - 1];
        if (c % groups != 0) throw new IllegalArgumentException("channels " + c + " not divisible by groups " + groups);
        int[] split = new int[r + 1];
        System.arraycopy(s, 0, split, 0, r - 1);
        split[r - 1] = groups;
        split[r] = c / groups;
        Var v = reshape(x, split);
        int[] perm = new int[r + 1];
        for (int i = 0; i < r + 1; i++) perm[i] = i;
        perm[r - 1] = r;
        perm[r] = r - 1;
        return reshape(permute(v, perm), s);
    }
}
