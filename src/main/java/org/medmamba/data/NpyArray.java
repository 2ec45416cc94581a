package org.medmamba.data;

/**
 * One array from a NumPy .npy file, C order. Bytes stay as stored (uint8 images are large, so they are not
 * widened); {@link #longAt} reads an integer element of any supported dtype.
 *
 * @param dtype the numpy descr, e.g. "|u1" or "<i8"
 */
public record NpyArray(String name, String dtype, long[] shape, byte[] data) {
    public long count() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public int itemSize() {
        return Integer.parseInt(dtype.substring(2));
    }

    /** Element i as a signed or unsigned integer. */
    public long longAt(long i) {
        int size = itemSize(), off = Math.toIntExact(i * size);
        boolean big = dtype.charAt(0) == '>';
        long v = 0;
        for (int k = 0; k < size; k++) {
            int b = data[off + (big ? k : size - 1 - k)] & 0xff;
            v = (v << 8) | b;
        }
        if (dtype.charAt(1) == 'i' && size < 8) v = (v << (64 - 8 * size)) >> (64 - 8 * size); // sign-extend
        return v;
    }

    public String shapeString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shape.length; i++) b.append(i == 0 ? "" : "×").append(shape[i]);
        return shape.length == 0 ? "scalar" : b.toString();
    }
}
