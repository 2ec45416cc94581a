package org.medmamba.io;

import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A tensor as found in a file: dtype, shape, strides (elements) and a little-endian byte region
 * holding its storage. Converts to float32 or int64 on demand.
 */
public record StoredTensor(String name, DType dtype, int[] shape, int[] strides, long storageOffset, MemorySegment storage) {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public StoredTensor {
        shape = shape.clone();
        strides = strides.clone();
    }

    public int size() {
        return Shape.size(shape);
    }

    /** Element i of the storage (not of the view) as double. */
    private double at(long i) {
        long b = i * dtype.bytes;
        return switch (dtype) {
            case F32 -> storage.get(F32, b);
            case F64 -> storage.get(F64, b);
            case F16 -> Float.float16ToFloat(storage.get(I16, b));
            case BF16 -> Float.intBitsToFloat((storage.get(I16, b) & 0xffff) << 16);
            case I64 -> storage.get(I64, b);
            case I32 -> storage.get(I32, b);
            case I16 -> storage.get(I16, b);
            case I8 -> storage.get(ValueLayout.JAVA_BYTE, b);
            case U8 -> storage.get(ValueLayout.JAVA_BYTE, b) & 0xff;
            case BOOL -> storage.get(ValueLayout.JAVA_BYTE, b) != 0 ? 1 : 0;
        };
    }

    private boolean denseRowMajor() {
        int[] c = Shape.contiguousStrides(shape);
        for (int i = 0; i < shape.length; i++) if (shape[i] != 1 && strides[i] != c[i]) return false;
        return true;
    }

    /** Storage index of each element in row-major order of the view (offset + Σ idx·stride). */
    private long[] elementIndices() {
        int n = size();
        long[] out = new long[n];
        int r = shape.length;
        int[] idx = new int[r];
        long p = storageOffset;
        for (int e = 0; e < n; e++) {
            out[e] = p;
            for (int ax = r - 1; ax >= 0; ax--) {
                idx[ax]++;
                p += strides[ax];
                if (idx[ax] < shape[ax]) break;
                p -= (long) strides[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }

    /** The values as a dense float32 tensor (converted from any numeric dtype). */
    public Tensor toFloat() {
        int n = size();
        float[] out = new float[n];
        if (dtype == DType.F32 && denseRowMajor()) {
            MemorySegment.copy(storage, F32, storageOffset * 4, out, 0, n);
        } else if (denseRowMajor()) {
            for (int e = 0; e < n; e++) out[e] = (float) at(storageOffset + e);
        } else {
            long[] ix = elementIndices();
            for (int e = 0; e < n; e++) out[e] = (float) at(ix[e]);
        }
        return Tensor.of(out, shape);
    }

    /** The stored bytes of a dense row-major tensor, as they are in the file. */
    public byte[] rawBytes() {
        if (!denseRowMajor()) throw new IllegalStateException(name + ": not stored dense row-major");
        byte[] out = new byte[Math.multiplyExact(size(), dtype.bytes)];
        MemorySegment.copy(storage, ValueLayout.JAVA_BYTE, storageOffset * dtype.bytes, out, 0, out.length);
        return out;
    }

    /** The values as int64 (only for integer and bool dtypes). */
    public LongTensor toLong() {
        if (dtype.isFloat()) throw new IllegalStateException(name + ": dtype " + dtype + " is not an integer type");
        int n = size();
        long[] out = new long[n];
        long[] ix = denseRowMajor() ? null : elementIndices();
        for (int e = 0; e < n; e++) {
            long i = ix == null ? storageOffset + e : ix[e];
            out[e] = dtype == DType.I64 ? storage.get(I64, i * 8) : (long) at(i);
        }
        return new LongTensor(out, shape);
    }
}
