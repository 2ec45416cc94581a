package org.medmamba.data.jpeg;

/**
 * Progressive DCT scans (SOF2, T.81 G.1.2): spectral selection and successive approximation.
 * Quantized coefficients accumulate in each component's coefficient buffer across scans; the
 * IDCT runs once in {@link #finish}. The refinement logic follows libjpeg's jdphuff.c.
 */
final class ProgressiveScanDecoder {
    private ProgressiveScanDecoder() {}

    static void decode(JpegBitReader r, JpegFrame f, JpegScan scan, int restartInterval) throws JpegException {
        JpegComponent[] comps = scan.components();
        int ss = scan.ss(), se = scan.se(), ah = scan.ah(), al = scan.al();
        if (se > 63 || ss > se || (ss == 0) != (se == 0) || (ss > 0 && comps.length != 1) || ah > 13 || al > 13)
            throw new JpegException("corrupt JPEG data: bad progressive scan parameters Ss=" + ss + " Se=" + se + " Ah=" + ah + " Al=" + al);
        for (int i = 0; i < comps.length; i++)
            if (ss == 0 ? (ah == 0 && scan.dcTables()[i] == null) : scan.acTables()[i] == null)
                throw new JpegException("corrupt JPEG data: missing Huffman table");
        int n = comps.length;
        int[] pred = new int[n];
        int[] eobrun = new int[1];
        long mcus = n > 1 ? (long) f.mcusX * f.mcusY : (long) comps[0].unitsW * comps[0].unitsH;
        int todo = restartInterval;
        for (long m = 0; m < mcus; m++) {
            if (restartInterval > 0) {
                if (todo == 0) {
                    r.restart();
                    java.util.Arrays.fill(pred, 0);
                    eobrun[0] = 0;
                    todo = restartInterval;
                }
                todo--;
            }
            if (n == 1) {
                JpegComponent c = comps[0];
                int bx = (int) (m % c.unitsW), by = (int) (m / c.unitsW);
                int off = blockOffset(c, bx, by);
                if (ss == 0) pred[0] = dc(r, c.coefs, off, scan.dcTables()[0], pred[0], ah, al);
                else if (ah == 0) acFirst(r, c.coefs, off, scan.acTables()[0], ss, se, al, eobrun);
                else acRefine(r, c.coefs, off, scan.acTables()[0], ss, se, al, eobrun);
            } else {
                int mx = (int) (m % f.mcusX), my = (int) (m / f.mcusX);
                for (int i = 0; i < n; i++) {
                    JpegComponent c = comps[i];
                    for (int v = 0; v < c.v; v++)
                        for (int h = 0; h < c.h; h++)
                            pred[i] = dc(r, c.coefs, blockOffset(c, mx * c.h + h, my * c.v + v), scan.dcTables()[i], pred[i], ah, al);
                }
            }
        }
    }

    private static int blockOffset(JpegComponent c, int bx, int by) {
        return (by * (c.planeW >> 3) + bx) << 6;
    }

    private static int dc(JpegBitReader r, int[] coefs, int off, HuffmanTable t, int pred, int ah, int al) throws JpegException {
        if (ah == 0) {
            int s = r.decode(t);
            if (s > 16) throw new JpegException("corrupt JPEG data: bad DC difference category " + s);
            pred += r.receiveExtend(s);
            coefs[off] = pred << al;
        } else if (r.bit() != 0) {
            coefs[off] |= 1 << al;
        }
        return pred;
    }

    private static void acFirst(JpegBitReader r, int[] coefs, int off, HuffmanTable t, int ss, int se, int al, int[] eobrun) throws JpegException {
        if (eobrun[0] > 0) {
            eobrun[0]--;
            return;
        }
        for (int k = ss; k <= se; k++) {
            int rs = r.decode(t);
            int run = rs >> 4, s = rs & 15;
            if (s != 0) {
                k += run;
                if (k > 63) throw new JpegException("corrupt JPEG data: AC coefficient index past 63");
                coefs[off + Zigzag.NATURAL[k]] = r.receiveExtend(s) << al;
            } else if (run < 15) {
                eobrun[0] = (1 << run) - 1 + r.bits(run); // EOBr: this block and 2^r-1+bits more end here
                break;
            } else {
                k += 15;
            }
        }
    }

    private static void acRefine(JpegBitReader r, int[] coefs, int off, HuffmanTable t, int ss, int se, int al, int[] eobrun) throws JpegException {
        int p1 = 1 << al, m1 = -1 << al;
        int k = ss;
        if (eobrun[0] == 0) {
            for (; k <= se; k++) {
                int rs = r.decode(t);
                int run = rs >> 4, s = rs & 15, value = 0;
                if (s != 0) {
                    if (s != 1) throw new JpegException("corrupt JPEG data: bad refinement coefficient size " + s);
                    value = r.bit() != 0 ? p1 : m1;
                } else if (run != 15) {
                    eobrun[0] = (1 << run) + r.bits(run);
                    break;
                }
                // skip `run` zero coefficients, refining the non-zero ones passed on the way
                while (k <= se) {
                    int z = off + Zigzag.NATURAL[k];
                    if (coefs[z] != 0) {
                        refine(r, coefs, z, p1, m1);
                    } else if (--run < 0) {
                        break;
                    }
                    k++;
                }
                if (value != 0) {
                    if (k > se) throw new JpegException("corrupt JPEG data: refinement past end of band");
                    coefs[off + Zigzag.NATURAL[k]] = value;
                }
            }
        }
        if (eobrun[0] > 0) {
            for (; k <= se; k++) {
                int z = off + Zigzag.NATURAL[k];
                if (coefs[z] != 0) refine(r, coefs, z, p1, m1);
            }
            eobrun[0]--;
        }
    }

    private static void refine(JpegBitReader r, int[] coefs, int z, int p1, int m1) throws JpegException {
        if (r.bit() != 0 && (coefs[z] & p1) == 0) coefs[z] += coefs[z] >= 0 ? p1 : m1;
    }

    /** Dequantizes and inverse-transforms every block once all scans are in. */
    static void finish(JpegFrame f) {
        int[] block = new int[64], ws = new int[64];
        for (JpegComponent c : f.components) {
            int[] q = c.quant;
            int bw = c.planeW >> 3, bh = c.planeH >> 3;
            for (int by = 0; by < bh; by++)
                for (int bx = 0; bx < bw; bx++) {
                    int off = (by * bw + bx) << 6;
                    for (int i = 0; i < 64; i++) block[i] = c.coefs[off + i] * q[i];
                    Idct.islow(block, ws, c.plane, by * 8 * c.planeW + bx * 8, c.planeW, f.precision);
                }
            c.coefs = null;
        }
    }
}
