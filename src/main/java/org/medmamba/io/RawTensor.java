package org.medmamba.io;

import org.medmamba.tensor.Shape;

import java.util.Objects;

/**
 * A tensor kept as its stored bytes (little-endian, row-major), for dtypes the engine does not
 * compute in — int8 and packed int4 weights, float16 scales — so they are written as they are.
 */
public record RawTensor(DType dtype, int[] shape, byte[] data) {
    public RawTensor {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        if ((long) Shape.size(shape) * dtype.bytes != data.length)
            throw new IllegalArgumentException(dtype + " " + Shape.str(shape) + " needs " + (long) Shape.size(shape) * dtype.bytes + " bytes, got " + data.length);
    }

    /** float16 (IEEE binary16) from floats, rounded to nearest. */
    public static RawTensor float16(float[] v, int... shape) {
        byte[] b = new byte[2 * v.length];
        for (int i = 0; i < v.length; i++) {
            short h = Float.floatToFloat16(v[i]);
            b[2 * i] = (byte) h;
            b[2 * i + 1] = (byte) (h >> 8);
        }
        return new RawTensor(DType.F16, shape, b);
    }

    /** bfloat16 from floats, rounded to nearest even (NaN stays NaN). */
    public static RawTensor bfloat16(float[] v, int... shape) {
        byte[] b = new byte[2 * v.length];
        for (int i = 0; i < v.length; i++) {
            short h = toBfloat16(v[i]);
            b[2 * i] = (byte) h;
            b[2 * i + 1] = (byte) (h >> 8);
        }
        return new RawTensor(DType.BF16, shape, b);
    }

    static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    public int size() {
        return Shape.size(shape);
    }
}
