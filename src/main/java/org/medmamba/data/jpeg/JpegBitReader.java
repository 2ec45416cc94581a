package org.medmamba.data.jpeg;

/**
 * Reads the entropy-coded segment of a scan: removes 0xFF00 byte stuffing, stops at the next
 * marker and feeds zero bits past it (as libjpeg does), but only a bounded number so a truncated
 * or corrupt stream fails instead of decoding garbage forever.
 */
final class JpegBitReader {
    /** Zero bytes we may invent past a marker or the end of data per restart interval. */
    private static final int MAX_PADDING = 32;

    private final byte[] data;
    private final int end;
    private int pos;
    private long buf;       // valid bits are the low `bits` bits, most significant first
    private int bits;
    private boolean atMarker;
    private int padded;

    JpegBitReader(byte[] data, int start) {
        this.data = data;
        this.end = data.length;
        this.pos = start;
    }

    /** Byte offset of the first unread byte (the marker ending the segment, once reached). */
    int position() {
        return pos;
    }

    private void fill() throws JpegException {
        while (bits <= 56) {
            int b;
            if (atMarker) {
                if (++padded > MAX_PADDING) throw new JpegException(pos >= end - 1
                        ? "truncated JPEG data: entropy-coded segment ends early"
                        : "corrupt JPEG data: entropy-coded segment ends early at marker " + JpegMarkers.hex(data[pos + 1] & 0xFF));
                b = 0;
            } else if (pos >= end) {
                atMarker = true;
                continue;
            } else {
                b = data[pos] & 0xFF;
                if (b == 0xFF) {
                    int next = pos + 1 < end ? data[pos + 1] & 0xFF : -1;
                    if (next == 0) {
                        pos += 2;
                    } else if (next == 0xFF) {
                        pos++; // fill byte before a marker
                        continue;
                    } else {
                        atMarker = true; // leave pos on the marker (or the lone trailing 0xFF)
                        continue;
                    }
                } else {
                    pos++;
                }
            }
            buf = (buf << 8) | b;
            bits += 8;
        }
    }

    /** Next `n` (0..16) raw bits. */
    int bits(int n) throws JpegException {
        if (n == 0) return 0;
        if (bits < n) fill();
        bits -= n;
        return (int) (buf >>> bits) & ((1 << n) - 1);
    }

    /** Reads `s` bits and sign-extends them as a JPEG magnitude category value (F.2.2.1 EXTEND). */
    int receiveExtend(int s) throws JpegException {
        if (s == 0) return 0;
        int v = bits(s);
        return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
    }

    int bit() throws JpegException {
        if (bits < 1) fill();
        bits--;
        return (int) (buf >>> bits) & 1;
    }

    /** Decodes one Huffman symbol. */
    int decode(HuffmanTable t) throws JpegException {
        if (bits < 16) fill();
        int look = (int) (buf >>> (bits - HuffmanTable.LOOKUP_BITS)) & ((1 << HuffmanTable.LOOKUP_BITS) - 1);
        int e = t.lookup[look];
        if (e != 0) {
            bits -= e >>> 8;
            return e & 0xFF;
        }
        int code16 = (int) (buf >>> (bits - 16)) & 0xFFFF;
        for (int len = HuffmanTable.LOOKUP_BITS + 1; len <= 16; len++) {
            int code = code16 >>> (16 - len);
            if (code <= t.maxCode[len]) {
                bits -= len;
                return t.values[t.valPtr[len] + code - t.minCode[len]] & 0xFF;
            }
        }
        throw new JpegException("corrupt JPEG data: invalid Huffman code");
    }

    /**
     * Handles a restart marker: drops the partial byte, expects RSTn (tolerating extraneous bytes
     * before it, like libjpeg) and resets the bit state.
     */
    void restart() throws JpegException {
        bits = 0;
        buf = 0;
        padded = 0;
        atMarker = false;
        int m = JpegStreamParser.findMarker(data, pos);
        if (m < 0 || !JpegMarkers.isRst(data[m + 1] & 0xFF))
            throw new JpegException(m < 0 ? "truncated JPEG data: missing restart marker"
                    : "corrupt JPEG data: expected restart marker, found " + JpegMarkers.hex(data[m + 1] & 0xFF));
        pos = m + 2;
    }
}
