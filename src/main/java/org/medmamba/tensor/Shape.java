package org.medmamba.tensor;

import java.util.Arrays;

/** Static helpers for shapes and strides (int arrays, row-major). */
public final class Shape {
    private Shape() {}

    public static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    public static int size(int[] shape) {
        long n = numel(shape);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor too large: " + str(shape));
        return (int) n;
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }

    /** Normalises a possibly negative axis index. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        return a;
    }

    /** NumPy broadcasting of two shapes. */
    public static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException("shapes " + str(a) + " and " + str(b) + " do not broadcast");
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** Resolves one -1 entry of a reshape target against a total size. */
    public static int[] infer(int[] target, int total) {
        int[] s = target.clone();
        int neg = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (neg >= 0) throw new IllegalArgumentException("only one -1 allowed in " + str(target));
                neg = i;
            } else {
                if (s[i] < 0) throw new IllegalArgumentException("bad dimension in " + str(target));
                known *= s[i];
            }
        }
        if (neg >= 0) {
            if (known == 0 || total % known != 0)
                throw new IllegalArgumentException("cannot reshape " + total + " elements to " + str(target));
            s[neg] = (int) (total / known);
        } else if (known != total) {
            throw new IllegalArgumentException("cannot reshape " + total + " elements to " + str(target));
        }
        return s;
    }
}
