package org.medmamba.data.dicom;

/**
 * A bounds-checked cursor over a byte array in either byte order. Reading past the limit
 * throws {@link Truncated}, which the parser turns into a one-line file error.
 */
final class ByteReader {
    /** The data ended before a value it announced. */
    static final class Truncated extends RuntimeException {
        Truncated(String what) {
            super(what, null, false, false);
        }
    }

    final byte[] buf;
    final int limit;
    int pos;
    boolean bigEndian;

    ByteReader(byte[] buf, int pos, int limit, boolean bigEndian) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
        this.bigEndian = bigEndian;
    }

    int remaining() {
        return limit - pos;
    }

    void need(long n, String what) {
        if (n < 0 || n > limit - pos) throw new Truncated(what + " needs " + n + " bytes at offset " + pos + " but only " + (limit - pos) + " remain");
    }

    int u16() {
        need(2, "value");
        int a = buf[pos] & 0xff, b = buf[pos + 1] & 0xff;
        pos += 2;
        return bigEndian ? (a << 8) | b : (b << 8) | a;
    }

    /** Unsigned 32-bit as a long, so huge lengths stay visible instead of turning negative. */
    long u32() {
        need(4, "value");
        long v = bigEndian ? u32be(buf, pos) : u32le(buf, pos);
        pos += 4;
        return v;
    }

    void skip(long n, String what) {
        need(n, what);
        pos += (int) n;
    }

    static long u32le(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }

    static long u32be(byte[] b, int p) {
        return (b[p] & 0xffL) << 24 | (b[p + 1] & 0xffL) << 16 | (b[p + 2] & 0xffL) << 8 | (b[p + 3] & 0xffL);
    }
}
