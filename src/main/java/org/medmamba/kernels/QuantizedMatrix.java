package org.medmamba.kernels;

import java.util.Objects;

/**
 * A weight matrix W (rows × cols, row-major) stored as integers, as a GEMM operand.
 *
 * <ul>
 *   <li>{@code bits == 8}: {@code data[r*cols + c]} is a signed int8 q, W[r][c] = q · scales[r]
 *       (symmetric, one scale per output channel).</li>
 *   <li>{@code bits == 4}: each row is cut into {@link #groups()} groups of {@code group} columns
 *       (the last one zero-padded) with one scale each, {@code scales[r*groups + g]}. A group takes
 *       group/2 bytes: byte t holds column g·group+t in its low nibble and column g·group+group/2+t
 *       in its high nibble, each as q+8 with q in [−8, 7]; W[r][c] = q · scale. Keeping the two
 *       halves of a group apart (rather than neighbours in one byte) lets a vector kernel turn one
 *       load into two contiguous runs of columns.</li>
 * </ul>
 */
public record QuantizedMatrix(int rows, int cols, int bits, int group, byte[] data, float[] scales) {
    public QuantizedMatrix {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(scales, "scales");
        if (rows <= 0 || cols <= 0) throw new IllegalArgumentException("matrix must be at least 1x1, got " + rows + "x" + cols);
        if (bits == 8) {
            if (data.length != (long) rows * cols) throw new IllegalArgumentException("int8 data holds " + data.length + " bytes, expected " + (long) rows * cols);
            if (scales.length != rows) throw new IllegalArgumentException("int8 needs one scale per row (" + rows + "), got " + scales.length);
        } else if (bits == 4) {
            if (group < 2 || group % 2 != 0) throw new IllegalArgumentException("int4 group size must be even and >= 2, got " + group);
            long groups = (cols + group - 1) / group;
            if (data.length != rows * groups * (group / 2)) throw new IllegalArgumentException("int4 data holds " + data.length + " bytes, expected " + rows * groups * (group / 2));
            if (scales.length != rows * groups) throw new IllegalArgumentException("int4 needs " + rows * groups + " group scales, got " + scales.length);
        } else {
            throw new IllegalArgumentException("bits must be 8 or 4, got " + bits);
        }
        for (int i = 0; i < scales.length; i++)
            if (!Float.isFinite(scales[i]) || scales[i] < 0) throw new IllegalArgumentException("scale " + i + " is " + scales[i] + "; scales must be finite and >= 0");
    }

    /** Groups per row (int4); 1 for int8. */
    public int groups() {
        return bits == 4 ? (cols + group - 1) / group : 1;
    }

    /** Bytes per row of {@link #data}. */
    public int rowBytes() {
        return bits == 8 ? cols : groups() * (group / 2);
    }

    /** The value W[r][c] (plain; the kernels never call this). */
    public float get(int r, int c) {
        if (bits == 8) return data[r * cols + c] * scales[r];
        int g = c / group, t = c % group, half = group / 2;
        int b = data[r * rowBytes() + g * half + (t % half)] & 0xff;
        int q = (t < half ? b & 0x0f : b >>> 4) - 8;
        return q * scales[r * groups() + g];
    }

    /** Rows [r0, r1) as floats into out (row-major, cols wide), using the active kernels. */
    public void dequantize(int r0, int r1, float[] out) {
        Kernels.quantDot().dequantize(this, r0, r1, out);
    }

    /**
     * The width of a product that reads this matrix's columns in the order {@code columns} (each
     * entry a column index), or all of them in order when null; refuses an entry out of range.
     */
    public int checkColumnOrder(int[] columns) {
        if (columns == null) return cols;
        for (int p = 0; p < columns.length; p++)
            if (columns[p] < 0 || columns[p] >= cols)
                throw new IllegalArgumentException("column order entry " + p + " is " + columns[p] + ", outside 0.." + (cols - 1));
        return columns.length;
    }
}
