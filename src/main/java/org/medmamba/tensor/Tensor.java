package org.medmamba.tensor;

import java.util.Arrays;
import java.util.Random;

/**
 * An n-dimensional float32 array: a flat storage array, an offset, a shape and strides (in
 * elements; negative strides are allowed, which makes flips free). Views (reshape of contiguous
 * data, permute, transpose, slice with step, flip) share storage; {@link #contiguous()} copies only
 * when the layout is not already dense row-major. Tensors carry no autograd state: that lives in
 * {@code org.medmamba.autograd.Var}.
 */
public final class Tensor {
    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int[] strides;

    public Tensor(float[] data, int offset, int[] shape, int[] strides) {
        if (shape.length != strides.length) throw new IllegalArgumentException("shape/strides rank mismatch");
        for (int s : shape) if (s < 0) throw new IllegalArgumentException("negative dimension in " + Shape.str(shape));
        this.data = data;
        this.offset = offset;
        this.shape = shape.clone();
        this.strides = strides.clone();
    }

    // ---- factories ------------------------------------------------------------------------

    /** Wraps data (not copied) as a contiguous tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        if (Shape.numel(shape) != data.length)
            throw new IllegalArgumentException("data length " + data.length + " does not match shape " + Shape.str(shape));
        return new Tensor(data, 0, shape, Shape.contiguousStrides(shape));
    }

    public static Tensor zeros(int... shape) {
        return of(new float[Shape.size(shape)], shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shape.size(shape)];
        Arrays.fill(d, value);
        return of(d, shape);
    }

    public static Tensor scalar(float v) {
        return of(new float[]{v});
    }

    /** Standard normal samples scaled by std. */
    public static Tensor randn(Random rnd, float std, int... shape) {
        float[] d = new float[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (rnd.nextGaussian() * std);
        return of(d, shape);
    }

    /** Uniform samples in [lo, hi). */
    public static Tensor uniform(Random rnd, float lo, float hi, int... shape) {
        float[] d = new float[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rnd.nextFloat();
        return of(d, shape);
    }

    // ---- accessors ------------------------------------------------------------------------

    public int[] shape() { return shape.clone(); }
    public int[] strides() { return strides.clone(); }
    public int rank() { return shape.length; }
    public int dim(int axis) { return shape[Shape.axis(axis, shape.length)]; }
    public int size() { return Shape.size(shape); }
    public int offset() { return offset; }

    /** The backing storage. Meaningful as a flat array only when {@link #isContiguous()}. */
    public float[] storage() { return data; }

    public boolean isContiguous() {
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != s) return false;
            s *= shape[i];
        }
        return true;
    }

    /** Contiguous with offset 0 and storage exactly numel long: {@link #storage()} is the data. */
    public boolean isDense() {
        return offset == 0 && isContiguous() && data.length == size();
    }

    /** The data as a dense flat array; returns the storage itself when already dense (no copy). */
    public float[] data() {
        return isDense() ? data : contiguousCopy().data;
    }

    public boolean sameShape(Tensor o) { return Arrays.equals(shape, o.shape); }

    public float get(int... idx) {
        return data[index(idx)];
    }

    public void set(float v, int... idx) {
        data[index(idx)] = v;
    }

    private int index(int[] idx) {
        if (idx.length != shape.length) throw new IllegalArgumentException("expected " + shape.length + " indices");
        int p = offset;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i]) throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of " + Shape.str(shape));
            p += idx[i] * strides[i];
        }
        return p;
    }

    // ---- layout ---------------------------------------------------------------------------

    /** This tensor if dense, otherwise a dense copy. */
    public Tensor contiguous() {
        return isDense() ? this : contiguousCopy();
    }

    /** Always a fresh dense copy. */
    public Tensor copy() {
        return contiguousCopy();
    }

    private Tensor contiguousCopy() {
        float[] out = new float[size()];
        copyInto(out, 0);
        return of(out, shape);
    }

    /** Copies the elements in row-major order into dst starting at dstOff. */
    public void copyInto(float[] dst, int dstOff) {
        int n = size();
        if (n == 0) return;
        if (isContiguous()) {
            System.arraycopy(data, offset, dst, dstOff, n);
            return;
        }
        int r = shape.length;
        int unit = -1;
        for (int ax = 0; ax < r - 1; ax++) if (strides[ax] == 1 && shape[ax] > 1) unit = ax;
        if (unit >= 0 && shape[r - 1] > 1 && strides[r - 1] != 1) {
            copyTransposed(dst, dstOff, unit);
            return;
        }
        int inner = shape[r - 1], innerStride = strides[r - 1];
        int[] idx = new int[r];
        int src = offset, o = dstOff;
        int rows = n / inner;
        for (int row = 0; row < rows; row++) {
            if (innerStride == 1) {
                System.arraycopy(data, src, dst, o, inner);
            } else {
                for (int j = 0, s = src; j < inner; j++, s += innerStride) dst[o + j] = data[s];
            }
            o += inner;
            // advance the multi-index over all but the last axis
            for (int ax = r - 2; ax >= 0; ax--) {
                idx[ax]++;
                src += strides[ax];
                if (idx[ax] < shape[ax]) break;
                src -= strides[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
    }

    /**
     * Copy when axis {@code unit} (not the last) has stride 1 in the source: a permuted layout such
     * as (B,C,L) viewed as (B,L,C). Copies 2-D tiles of (unit axis × last axis) so both the reads and
     * the writes stay in cache lines, instead of striding through memory one element at a time.
     */
    private void copyTransposed(float[] dst, int dstOff, int unit) {
        int r = shape.length, last = r - 1;
        int rows = shape[unit], cols = shape[last], colStride = strides[last];
        int[] dstStrides = Shape.contiguousStrides(shape);
        int rowDst = dstStrides[unit];
        // iterate over every axis except unit and last
        int outer = 1;
        for (int ax = 0; ax < last; ax++) if (ax != unit) outer *= shape[ax];
        int[] idx = new int[r];
        final int tile = 16;
        for (int o = 0; o < outer; o++) {
            int src = offset, d = dstOff;
            for (int ax = 0; ax < last; ax++) if (ax != unit) {
                src += idx[ax] * strides[ax];
                d += idx[ax] * dstStrides[ax];
            }
            for (int i0 = 0; i0 < rows; i0 += tile) {
                int i1 = Math.min(rows, i0 + tile);
                for (int j0 = 0; j0 < cols; j0 += tile) {
                    int j1 = Math.min(cols, j0 + tile);
                    for (int i = i0; i < i1; i++) {
                        int sp = src + i + j0 * colStride, dp = d + i * rowDst;
                        for (int j = j0; j < j1; j++, sp += colStride) dst[dp + j] = data[sp];
                    }
                }
            }
            for (int ax = last - 1; ax >= 0; ax--) {
                if (ax == unit) continue;
                if (++idx[ax] < shape[ax]) break;
                idx[ax] = 0;
            }
        }
    }

    /** Reshape: a view when contiguous, otherwise a copy. One dimension may be -1. */
    public Tensor reshape(int... newShape) {
        int[] s = Shape.infer(newShape, size());
        Tensor c = isContiguous() ? this : contiguousCopy();
        return new Tensor(c.data, c.offset, s, Shape.contiguousStrides(s));
    }

    /** Reorders axes (a view). */
    public Tensor permute(int... axes) {
        if (axes.length != shape.length) throw new IllegalArgumentException("permute needs " + shape.length + " axes");
        int[] ns = new int[axes.length], nst = new int[axes.length];
        boolean[] seen = new boolean[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = Shape.axis(axes[i], shape.length);
            if (seen[a]) throw new IllegalArgumentException("repeated axis in permute " + Arrays.toString(axes));
            seen[a] = true;
            ns[i] = shape[a];
            nst[i] = strides[a];
        }
        return new Tensor(data, offset, ns, nst);
    }

    public Tensor transpose(int a, int b) {
        int[] p = new int[shape.length];
        for (int i = 0; i < p.length; i++) p[i] = i;
        a = Shape.axis(a, shape.length);
        b = Shape.axis(b, shape.length);
        p[a] = b;
        p[b] = a;
        return permute(p);
    }

    /** Elements start, start+step, ... (< end) along axis (a view). */
    public Tensor slice(int axis, int start, int end, int step) {
        int a = Shape.axis(axis, shape.length);
        if (step < 1) throw new IllegalArgumentException("slice step must be >= 1");
        if (start < 0 || end > shape[a] || start > end)
            throw new IllegalArgumentException("slice [" + start + ":" + end + "] out of range for axis of size " + shape[a]);
        int[] ns = shape.clone(), nst = strides.clone();
        ns[a] = (end - start + step - 1) / step;
        nst[a] = strides[a] * step;
        return new Tensor(data, offset + start * strides[a], ns, nst);
    }

    public Tensor slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    /** Reverses the given axes (a view with negative strides). */
    public Tensor flip(int... axes) {
        int[] nst = strides.clone();
        int off = offset;
        for (int ax : axes) {
            int a = Shape.axis(ax, shape.length);
            if (shape[a] > 0) off += (shape[a] - 1) * strides[a];
            nst[a] = -strides[a];
        }
        return new Tensor(data, off, shape, nst);
    }

    /** Inserts or removes size-1 axes as a reshape view. */
    public Tensor unsqueeze(int axis) {
        int a = axis < 0 ? axis + shape.length + 1 : axis;
        int[] ns = new int[shape.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) ns[i] = i == a ? 1 : shape[j++];
        return reshape(ns);
    }

    // ---- misc -----------------------------------------------------------------------------

    /** In-place fill (only for dense tensors). */
    public Tensor fill(float v) {
        if (!isContiguous()) throw new IllegalStateException("fill needs a contiguous tensor");
        Arrays.fill(data, offset, offset + size(), v);
        return this;
    }

    public float item() {
        if (size() != 1) throw new IllegalStateException("item() needs exactly one element, shape " + Shape.str(shape));
        return data[offset];
    }

    public float maxAbs() {
        float m = 0;
        for (float v : data()) m = Math.max(m, Math.abs(v));
        return m;
    }

    @Override
    public String toString() {
        float[] d = data();
        int n = Math.min(d.length, 8);
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.str(shape)).append('[');
        for (int i = 0; i < n; i++) sb.append(i > 0 ? ", " : "").append(d[i]);
        if (d.length > n) sb.append(", ...");
        return sb.append(']').toString();
    }
}
