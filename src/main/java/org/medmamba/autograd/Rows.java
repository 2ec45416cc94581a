package org.medmamba.autograd;

import org.medmamba.tensor.Tensor;

/**
 * A tensor seen as rows of its last axis: row r starts at {@code data[offset + r·stride]}. A
 * strided view whose rows are contiguous and evenly spaced (e.g. one half of the channels of a
 * channels-last tensor) is read in place; any other layout is copied to dense rows first.
 */
record Rows(float[] data, int offset, int stride) {

    static Rows of(Tensor t) {
        int s = uniformRowStride(t);
        return s > 0 ? new Rows(t.storage(), t.offset(), s) : new Rows(t.data(), 0, t.dim(-1));
    }

    /** Row stride when every row of the last axis is contiguous and rows are evenly spaced, else -1. */
    private static int uniformRowStride(Tensor t) {
        int[] sh = t.shape(), st = t.strides();
        int r = sh.length;
        if (r < 2 || st[r - 1] != 1) return -1;
        int rowStride = st[r - 2];
        long expect = rowStride;
        for (int i = r - 2; i >= 0; i--) {
            if (sh[i] != 1 && st[i] != expect) return -1;
            expect *= sh[i];
        }
        return rowStride >= sh[r - 1] ? rowStride : -1;
    }
}
