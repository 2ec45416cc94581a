package org.medmamba.data.jpeg;

import java.util.Arrays;

/**
 * Sequential Huffman DCT scans (SOF0/SOF1): decodes each block, dequantizes it and runs the IDCT
 * straight into the component plane, so no coefficient buffer for the whole image is needed.
 */
final class DctScanDecoder {
    private final int[] coef = new int[64];
    private final int[] ws = new int[64];

    void decode(JpegBitReader r, JpegFrame f, JpegScan scan, int restartInterval) throws JpegException {
        JpegComponent[] comps = scan.components();
        int n = comps.length;
        int[] pred = new int[n];
        int maxCategory = f.precision + 4; // 8-bit: DC categories up to 11 (+ slack), 12-bit: 15
        long mcus = scan.interleaved() ? (long) f.mcusX * f.mcusY : (long) comps[0].unitsW * comps[0].unitsH;
        int todo = restartInterval;
        for (long m = 0; m < mcus; m++) {
            if (restartInterval > 0) {
                if (todo == 0) {
                    r.restart();
                    Arrays.fill(pred, 0);
                    todo = restartInterval;
                }
                todo--;
            }
            if (n == 1) {
                JpegComponent c = comps[0];
                int bx = (int) (m % c.unitsW), by = (int) (m / c.unitsW);
                pred[0] = decodeBlock(r, c, scan.dcTables()[0], scan.acTables()[0], pred[0], bx, by, f.precision, maxCategory);
            } else {
                int mx = (int) (m % f.mcusX), my = (int) (m / f.mcusX);
                for (int i = 0; i < n; i++) {
                    JpegComponent c = comps[i];
                    for (int v = 0; v < c.v; v++)
                        for (int h = 0; h < c.h; h++)
                            pred[i] = decodeBlock(r, c, scan.dcTables()[i], scan.acTables()[i], pred[i],
                                    mx * c.h + h, my * c.v + v, f.precision, maxCategory);
                }
            }
        }
    }

    /** Decodes one block (F.2.2) into the plane at block (bx, by); returns the new DC predictor. */
    private int decodeBlock(JpegBitReader r, JpegComponent c, HuffmanTable dc, HuffmanTable ac, int pred,
                            int bx, int by, int precision, int maxCategory) throws JpegException {
        int[] q = c.quant;
        int t = r.decode(dc);
        if (t > maxCategory) throw new JpegException("corrupt JPEG data: bad DC difference category " + t);
        pred += r.receiveExtend(t);
        coef[0] = pred * q[0];
        for (int k = 1; k < 64; k++) {
            int rs = r.decode(ac);
            int run = rs >> 4, s = rs & 15;
            if (s == 0) {
                if (run != 15) break; // EOB
                k += 15;              // ZRL: 16 zeros (the loop adds the 16th)
                continue;
            }
            k += run;
            if (k > 63) throw new JpegException("corrupt JPEG data: AC coefficient index past 63");
            int z = Zigzag.NATURAL[k];
            coef[z] = r.receiveExtend(s) * q[z];
        }
        Idct.islow(coef, ws, c.plane, by * 8 * c.planeW + bx * 8, c.planeW, precision);
        Arrays.fill(coef, 0);
        return pred;
    }
}
