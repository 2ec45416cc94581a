package org.medmamba.data.jpeg;

/**
 * Bit input for JPEG-LS scans (T.87 A.1): after a 0xFF byte the encoder stuffs a 0 bit, so the
 * next byte carries only 7 bits; 0xFF followed by a byte with its high bit set is a marker. Past a
 * marker or the end of data a bounded number of zero bits is supplied, then the stream is corrupt.
 */
final class JpegLsBitReader {
    private static final int MAX_PADDING = 32;

    private final byte[] data;
    private int pos;
    private long buf;
    private int bits;
    private boolean afterFF, atMarker;
    private int padded;

    JpegLsBitReader(byte[] data, int start) {
        this.data = data;
        this.pos = start;
    }

    int position() {
        return pos;
    }

    private void fill() throws JpegException {
        while (bits <= 56) {
            if (atMarker) {
                if (++padded > MAX_PADDING) throw new JpegException(pos >= data.length - 1
                        ? "truncated JPEG-LS data: scan ends early" : "corrupt JPEG-LS data: scan ends early at a marker");
                buf <<= 8;
                bits += 8;
                continue;
            }
            if (pos >= data.length) {
                atMarker = true;
                continue;
            }
            int b = data[pos] & 0xFF;
            if (afterFF) {
                if (b >= 0x80) { // 0xFF then a byte with the high bit set: a marker, leave pos on the 0xFF
                    pos--;
                    atMarker = true;
                    afterFF = false;
                    continue;
                }
                buf = (buf << 7) | b;
                bits += 7;
                afterFF = false;
            } else {
                buf = (buf << 8) | b;
                bits += 8;
                afterFF = b == 0xFF;
            }
            pos++;
        }
    }

    /** n (0..31) raw bits. */
    int bits(int n) throws JpegException {
        if (n == 0) return 0;
        if (bits < n) fill();
        bits -= n;
        return (int) (buf >>> bits) & (int) ((1L << n) - 1);
    }

    int bit() throws JpegException {
        if (bits < 1) fill();
        bits--;
        return (int) (buf >>> bits) & 1;
    }

    /** Counts 0 bits up to and including the terminating 1; more than `max` zeros is corrupt. */
    int unary(int max) throws JpegException {
        int q = 0;
        while (true) {
            if (bits == 0) fill();
            long v = buf << (64 - bits);
            if (v != 0) {
                int z = Long.numberOfLeadingZeros(v);
                q += z;
                bits -= z + 1;
                if (q > max) break;
                return q;
            }
            q += bits;
            bits = 0;
            if (q > max) break;
        }
        throw new JpegException("corrupt JPEG-LS data: Golomb code too long");
    }
}
