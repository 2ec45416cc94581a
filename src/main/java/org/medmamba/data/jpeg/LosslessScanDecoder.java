package org.medmamba.data.jpeg;

/**
 * Lossless Huffman scans (SOF3, process 14; T.81 Annex H). Samples are reconstructed in their
 * point-transformed range (Pt is applied on output); prediction follows H.1.2.1: the first sample
 * of the scan and of each restart interval is predicted by 2^(P−Pt−1), the rest of that line by Ra,
 * and the first column of later lines by Rb.
 */
final class LosslessScanDecoder {
    private LosslessScanDecoder() {}

    static void decode(JpegBitReader r, JpegFrame f, JpegScan scan, int restartInterval) throws JpegException {
        JpegComponent[] comps = scan.components();
        int n = comps.length;
        int predictor = scan.ss(), pt = scan.al();
        int initial = 1 << (f.precision - pt - 1);
        int mask = (1 << (f.precision - pt)) - 1; // reconstruction is modulo 2^16; P-Pt bits stay valid
        HuffmanTable[] tables = scan.dcTables();
        // Row where the current restart interval began, per component; -1 = next sample starts one.
        int[] startRow = new int[n];
        java.util.Arrays.fill(startRow, -1);
        for (JpegComponent c : comps) c.pointTransform = pt;

        boolean single = n == 1;
        long mcus = single ? (long) comps[0].unitsW * comps[0].unitsH : (long) f.mcusX * f.mcusY;
        int todo = restartInterval;
        for (long m = 0; m < mcus; m++) {
            if (restartInterval > 0) {
                if (todo == 0) {
                    r.restart();
                    java.util.Arrays.fill(startRow, -1);
                    todo = restartInterval;
                }
                todo--;
            }
            if (single) {
                JpegComponent c = comps[0];
                int x = (int) (m % c.unitsW), y = (int) (m / c.unitsW);
                sample(r, c, tables[0], x, y, startRow, 0, predictor, initial, mask);
            } else {
                int mx = (int) (m % f.mcusX), my = (int) (m / f.mcusX);
                for (int i = 0; i < n; i++) {
                    JpegComponent c = comps[i];
                    for (int v = 0; v < c.v; v++)
                        for (int h = 0; h < c.h; h++)
                            sample(r, c, tables[i], mx * c.h + h, my * c.v + v, startRow, i, predictor, initial, mask);
                }
            }
        }
    }

    private static void sample(JpegBitReader r, JpegComponent c, HuffmanTable t, int x, int y, int[] startRow, int i,
                               int predictor, int initial, int mask) throws JpegException {
        int[] p = c.plane;
        int w = c.planeW;
        int at = y * w + x;
        int px;
        if (startRow[i] < 0) {
            startRow[i] = y;
            px = initial;
        } else if (y == startRow[i]) {
            px = x > 0 ? p[at - 1] : y > 0 ? p[at - w] : initial;
        } else if (x == 0) {
            px = p[at - w];
        } else {
            int ra = p[at - 1], rb = p[at - w], rc = p[at - w - 1];
            px = switch (predictor) {
                case 1 -> ra;
                case 2 -> rb;
                case 3 -> rc;
                case 4 -> ra + rb - rc;
                case 5 -> ra + ((rb - rc) >> 1);
                case 6 -> rb + ((ra - rc) >> 1);
                default -> (ra + rb) >> 1;
            };
        }
        int s = r.decode(t);
        int diff;
        if (s == 0) diff = 0;
        else if (s < 16) diff = r.receiveExtend(s);
        else if (s == 16) diff = 32768; // H.1.2.2: SSSS=16 has no additional bits
        else throw new JpegException("corrupt JPEG data: bad lossless difference category " + s);
        p[at] = (px + diff) & mask;
    }
}
