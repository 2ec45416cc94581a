package org.medmamba.data.dicom;

import org.medmamba.io.BadFileException;

import java.nio.file.Path;

/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
 * segment per byte plane (most significant byte first) of each sample in turn.
 */
final class RleDecoder {
    private RleDecoder() {}

    /** Raw (unmasked) sample values, interleaved by pixel. */
    static int[] decode(Path name, byte[] data, int rows, int cols, int spp, int bitsAllocated) throws BadFileException {
        if (bitsAllocated % 8 != 0) throw new BadFileException(name, "RLE with BitsAllocated " + bitsAllocated + " is not supported");
        int bytes = bitsAllocated / 8, n = rows * cols;
        if (data.length < 64) throw new BadFileException(name, "RLE frame shorter than its 64-byte header");
        int segments = (int) ByteReader.u32le(data, 0);
        if (segments != spp * bytes)
            throw new BadFileException(name, "RLE frame has " + segments + " segments; expected " + spp * bytes);
        int[] out = new int[n * spp];
        byte[] plane = new byte[n];
        for (int s = 0; s < segments; s++) {
            long start = ByteReader.u32le(data, 4 + 4 * s);
            long end = s + 1 < segments ? ByteReader.u32le(data, 8 + 4 * s) : data.length;
            if (start < 64 || end > data.length || end < start)
                throw new BadFileException(name, "RLE segment " + s + " offsets " + start + ".." + end + " are outside the frame");
            unpack(name, data, (int) start, (int) end, plane);
            int sample = s / bytes, shift = 8 * (bytes - 1 - s % bytes);
            for (int i = 0; i < n; i++) out[i * spp + sample] |= (plane[i] & 0xff) << shift;
        }
        return out;
    }

    /** PackBits; a segment that decodes short leaves zeros, one that runs long is cut at the plane size. */
    private static void unpack(Path name, byte[] d, int p, int end, byte[] out) {
        java.util.Arrays.fill(out, (byte) 0);
        int o = 0;
        while (p < end && o < out.length) {
            int h = d[p++];
            if (h >= 0) {
                int n = Math.min(h + 1, Math.min(end - p, out.length - o));
                System.arraycopy(d, p, out, o, n);
                p += h + 1;
                o += n;
            } else if (h != -128) {
                if (p >= end) break;
                int n = Math.min(1 - h, out.length - o);
                java.util.Arrays.fill(out, o, o + n, d[p++]);
                o += n;
            }
        }
    }
}
