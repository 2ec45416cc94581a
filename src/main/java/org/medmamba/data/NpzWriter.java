package org.medmamba.data;

import org.medmamba.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes uint8 arrays as a NumPy .npz (a zip of .npy files, format 1.0, stored uncompressed, as
 * {@code np.savez} does): enough for MedMNIST-style files ({split}_images (N,H,W), {split}_labels
 * (N,1)) that {@link NpzDataset} and NumPy both read.
 */
public final class NpzWriter {
    /** One array: its uint8 data (row-major) and shape. */
    public record Array(byte[] data, int... shape) {
        public Array {
            long n = 1;
            for (int d : shape) {
                if (d < 0) throw new IllegalArgumentException("negative dimension " + d);
                n *= d;
            }
            if (n != data.length) throw new IllegalArgumentException("shape holds " + n + " values, data " + data.length);
        }
    }

    private final Map<String, Array> arrays = new LinkedHashMap<>();

    public NpzWriter put(String name, Array a) {
        arrays.put(name, a);
        return this;
    }

    public void write(Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(new NonClosing(out))) {
                for (Map.Entry<String, Array> e : arrays.entrySet()) {
                    byte[] npy = npy(e.getValue());
                    ZipEntry z = new ZipEntry(e.getKey() + ".npy");
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(npy.length);
                    CRC32 crc = new CRC32();
                    crc.update(npy);
                    z.setCrc(crc.getValue());
                    z.setTime(0);
                    zip.putNextEntry(z);
                    zip.write(npy);
                    zip.closeEntry();
                }
            }
        });
    }

    /** The .npy bytes: magic, version 1.0, header dict padded with spaces to a multiple of 64, data. */
    static byte[] npy(Array a) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < a.shape().length; i++) shape.append(i > 0 ? ", " : "").append(a.shape()[i]);
        if (a.shape().length == 1) shape.append(',');
        shape.append(')');
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(total - unpadded) + "\n";
        byte[] hb = header.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[10 + hb.length + a.data().length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) hb.length;
        out[9] = (byte) (hb.length >> 8);
        System.arraycopy(hb, 0, out, 10, hb.length);
        System.arraycopy(a.data(), 0, out, 10 + hb.length, a.data().length);
        return out;
    }

    /** AtomicFiles owns the stream; the zip must not close it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) { super(out); }
        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
        @Override public void close() throws IOException { flush(); }
    }
}
