package org.medmamba.tensor;

/** Gradient-free tensor helpers shared by the autograd ops: broadcasting and axis reductions. */
public final class TensorOps {
    private TensorOps() {}

    /** A view of t broadcast to shape (stride 0 on broadcast axes). */
    public static Tensor expand(Tensor t, int[] shape) {
        int[] ts = t.shape(), tst = t.strides();
        int r = shape.length, off = r - ts.length;
        if (off < 0) throw new IllegalArgumentException("cannot expand " + Shape.str(ts) + " to " + Shape.str(shape));
        int[] st = new int[r];
        for (int i = 0; i < r; i++) {
            if (i < off) { st[i] = 0; continue; }
            int d = ts[i - off];
            if (d == shape[i]) st[i] = tst[i - off];
            else if (d == 1) st[i] = 0;
            else throw new IllegalArgumentException("cannot expand " + Shape.str(ts) + " to " + Shape.str(shape));
        }
        return new Tensor(t.storage(), t.offset(), shape, st);
    }

    /** Sums g over the axes that were broadcast to reach g's shape from target. */
    public static Tensor sumTo(Tensor g, int[] target) {
        int[] gs = g.shape();
        if (java.util.Arrays.equals(gs, target)) return g;
        int off = gs.length - target.length;
        java.util.List<Integer> axes = new java.util.ArrayList<>();
        for (int i = 0; i < gs.length; i++) {
            if (i < off || (target[i - off] == 1 && gs[i] != 1)) axes.add(i);
        }
        int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
        return sumAxes(g, ax).reshape(target);
    }

    /** Sum over the given axes (removed from the shape). */
    public static Tensor sumAxes(Tensor t, int[] axes) {
        int r = t.rank();
        boolean[] red = new boolean[r];
        for (int a : axes) red[Shape.axis(a, r)] = true;
        int[] perm = new int[r];
        int k = 0;
        int[] shape = t.shape();
        int keptCount = 0;
        for (int i = 0; i < r; i++) if (!red[i]) { perm[k++] = i; keptCount++; }
        for (int i = 0; i < r; i++) if (red[i]) perm[k++] = i;
        int[] outShape = new int[keptCount];
        int outer = 1, inner = 1;
        for (int i = 0; i < keptCount; i++) { outShape[i] = shape[perm[i]]; outer *= outShape[i]; }
        for (int i = keptCount; i < r; i++) inner *= shape[perm[i]];
        float[] src = t.permute(perm).contiguous().storage();
        float[] out = new float[outer];
        for (int o = 0; o < outer; o++) {
            double s = 0;
            int base = o * inner;
            for (int i = 0; i < inner; i++) s += src[base + i];
            out[o] = (float) s;
        }
        return Tensor.of(out, outShape);
    }

    /** out[i] = a[i] * s (dense copy). */
    public static Tensor scale(Tensor a, float s) {
        float[] x = a.data(), o = new float[x.length];
        for (int i = 0; i < o.length; i++) o[i] = x[i] * s;
        return Tensor.of(o, a.shape());
    }

    /** Concatenates dense copies of the parts along axis. */
    public static Tensor concat(Tensor[] parts, int axis) {
        int r = parts[0].rank();
        int a = Shape.axis(axis, r);
        int[] shape = parts[0].shape();
        int total = 0;
        for (Tensor p : parts) {
            int[] ps = p.shape();
            if (ps.length != r) throw new IllegalArgumentException("concat: rank mismatch");
            for (int i = 0; i < r; i++)
                if (i != a && ps[i] != shape[i]) throw new IllegalArgumentException("concat: shapes " + Shape.str(shape) + " and " + Shape.str(ps) + " differ off axis " + a);
            total += ps[a];
        }
        shape[a] = total;
        int outer = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        int innerUnit = 1;
        for (int i = a + 1; i < r; i++) innerUnit *= shape[i];
        float[] out = new float[Shape.size(shape)];
        int rowLen = total * innerUnit, pos = 0;
        for (Tensor p : parts) {
            float[] pd = p.data();
            int len = p.dim(a) * innerUnit;
            for (int o = 0; o < outer; o++) System.arraycopy(pd, o * len, out, o * rowLen + pos, len);
            pos += len;
        }
        return Tensor.of(out, shape);
    }

    /** Writes src (same shape) into dst, which may be a strided view. */
    public static void assign(Tensor dst, Tensor src) {
        if (!dst.sameShape(src)) throw new IllegalArgumentException("assign: shape mismatch");
        int n = dst.size();
        if (n == 0) return;
        float[] sd = src.data(), dd = dst.storage();
        int[] shape = dst.shape(), st = dst.strides();
        int r = shape.length;
        if (r == 0) { dd[dst.offset()] = sd[0]; return; }
        int inner = shape[r - 1], is = st[r - 1];
        int[] idx = new int[r];
        int p = dst.offset();
        for (int row = 0, o = 0; row < n / inner; row++, o += inner) {
            for (int j = 0; j < inner; j++) dd[p + j * is] = sd[o + j];
            for (int ax = r - 2; ax >= 0; ax--) {
                idx[ax]++;
                p += st[ax];
                if (idx[ax] < shape[ax]) break;
                p -= st[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
    }
}
