package org.medmamba.data.jpeg;

import java.io.ByteArrayOutputStream;

/**
 * Test-only process-14 encoder (h=v=1, one Huffman table with 5-bit codes for SSSS 0..16), so the
 * lossless tests can cover every predictor, point transforms, restart intervals and SSSS=16.
 */
final class LosslessTestEncoder {
    private LosslessTestEncoder() {}

    static byte[] encode(int[] samples, int w, int h, int nc, int precision, int predictor, int pt, int restartInterval) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF); out.write(0xD8);
        // SOF3
        out.write(0xFF); out.write(0xC3);
        u16(out, 8 + 3 * nc);
        out.write(precision); u16(out, h); u16(out, w); out.write(nc);
        for (int c = 0; c < nc; c++) { out.write(c + 1); out.write(0x11); out.write(0); }
        // DHT: DC table 0, 17 symbols of length 5
        out.write(0xFF); out.write(0xC4);
        u16(out, 2 + 17 + 17);
        out.write(0x00);
        for (int l = 1; l <= 16; l++) out.write(l == 5 ? 17 : 0);
        for (int s = 0; s <= 16; s++) out.write(s);
        if (restartInterval > 0) { out.write(0xFF); out.write(0xDD); u16(out, 4); u16(out, restartInterval); }
        // SOS
        out.write(0xFF); out.write(0xDA);
        u16(out, 6 + 2 * nc);
        out.write(nc);
        for (int c = 0; c < nc; c++) { out.write(c + 1); out.write(0x00); }
        out.write(predictor); out.write(0); out.write(pt);

        Bits bits = new Bits(out);
        int[][] planes = new int[nc][w * h];
        for (int i = 0; i < w * h; i++) for (int c = 0; c < nc; c++) planes[c][i] = samples[i * nc + c] >> pt;
        int initial = 1 << (precision - pt - 1);
        int[] startRow = new int[nc];
        java.util.Arrays.fill(startRow, -1);
        int todo = restartInterval, rst = 0;
        for (int i = 0; i < w * h; i++) {
            if (restartInterval > 0) {
                if (todo == 0) {
                    bits.flush();
                    out.write(0xFF); out.write(0xD0 + (rst++ & 7));
                    java.util.Arrays.fill(startRow, -1);
                    todo = restartInterval;
                }
                todo--;
            }
            int x = i % w, y = i / w;
            for (int c = 0; c < nc; c++) {
                int[] p = planes[c];
                int px;
                if (startRow[c] < 0) { startRow[c] = y; px = initial; }
                else if (y == startRow[c]) px = x > 0 ? p[i - 1] : p[i - w];
                else if (x == 0) px = p[i - w];
                else {
                    int ra = p[i - 1], rb = p[i - w], rc = p[i - w - 1];
                    px = switch (predictor) {
                        case 1 -> ra; case 2 -> rb; case 3 -> rc; case 4 -> ra + rb - rc;
                        case 5 -> ra + ((rb - rc) >> 1); case 6 -> rb + ((ra - rc) >> 1); default -> (ra + rb) >> 1;
                    };
                }
                int d = (p[i] - px) & 0xFFFF;
                if (d >= 32768) d -= 65536;
                if (d == -32768) { bits.put(16, 5); continue; }
                int s = 32 - Integer.numberOfLeadingZeros(Math.abs(d));
                bits.put(s, 5);
                if (s > 0) bits.put(d > 0 ? d : d + (1 << s) - 1, s);
            }
        }
        bits.flush();
        out.write(0xFF); out.write(0xD9);
        return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8); out.write(v & 0xFF);
    }

    /** MSB-first bit writer with 0xFF00 stuffing and 1-padding on flush. */
    private static final class Bits {
        final ByteArrayOutputStream out;
        long acc;
        int n;

        Bits(ByteArrayOutputStream out) { this.out = out; }

        void put(int value, int len) {
            acc = (acc << len) | (value & ((1L << len) - 1));
            n += len;
            while (n >= 8) { emit((int) (acc >>> (n - 8)) & 0xFF); n -= 8; }
        }

        void flush() {
            if (n > 0) put((1 << (8 - n)) - 1, 8 - n);
        }

        private void emit(int b) {
            out.write(b);
            if (b == 0xFF) out.write(0);
        }
    }
}
