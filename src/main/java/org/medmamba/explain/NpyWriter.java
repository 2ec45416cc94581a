package org.medmamba.explain;

import org.medmamba.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes a float32 map as a NumPy .npy file, format version 1.0, little-endian ('<f4'), C order. */
public final class NpyWriter {
    private NpyWriter() {}

    /** The whole file: magic, version 1.0, header padded so the data starts at a multiple of 64, data. */
    public static byte[] bytes(float[] data, int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != data.length) throw new IllegalArgumentException("data length " + data.length + " != shape product " + n);
        StringBuilder dims = new StringBuilder();
        for (int d : shape) dims.append(d).append(", ");
        String sh = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + sh + ", }";
        int unpadded = 10 + dict.length() + 1;   // magic 6 + version 2 + length 2, dict, '\n'
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        if (header.length() > 0xFFFF) throw new IllegalArgumentException("shape too long for a version 1.0 header");
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : data) b.putFloat(v);
        return b.array();
    }

    /** Writes an explanation's map as (height, width), atomically. */
    public static void write(Path target, Explanation e) throws IOException {
        byte[] b = bytes(e.map(), e.height(), e.width());
        AtomicFiles.write(target, out -> out.write(b));
    }
}
