package org.medmamba.data.jpeg;

/**
 * One JPEG-LS scan (T.87 Annex A): context modelling with the median edge detector, adaptive
 * Golomb codes for prediction errors, run mode in flat areas, lossless or near-lossless (NEAR).
 * Handles ILV=0 (one component per scan) and ILV=1 (line interleaved; contexts shared, run index
 * per component).
 */
final class JpegLsScanDecoder {
    private static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
            4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final int RI_CONTEXT = 365; // two run-interruption contexts follow the 365 regular ones

    private final JpegLsBitReader in;
    private final int near, maxVal, t1, t2, t3, reset, range, qbpp, limit, step;
    private final int[] a = new int[367], b = new int[367], c = new int[367], n = new int[367], nn = new int[367];

    JpegLsScanDecoder(JpegLsBitReader in, JpegLsParameters p, int near) {
        this.in = in;
        this.near = near;
        this.maxVal = p.maxVal();
        this.t1 = p.t1();
        this.t2 = p.t2();
        this.t3 = p.t3();
        this.reset = p.reset();
        this.step = 2 * near + 1;
        this.range = (maxVal + 2 * near) / step + 1;
        this.qbpp = ceilLog2(range);
        int bpp = Math.max(2, ceilLog2(maxVal + 1));
        this.limit = 2 * (bpp + Math.max(8, bpp));
        int aInit = Math.max(2, (range + 32) / 64);
        java.util.Arrays.fill(a, aInit);
        java.util.Arrays.fill(n, 1);
    }

    private static int ceilLog2(int v) {
        return 32 - Integer.numberOfLeadingZeros(v - 1);
    }

    /**
     * Decodes the scan into planes[i] (width×height each, row-major).
     */
    void decode(int[][] planes, int width, int height) throws JpegException {
        int nc = planes.length;
        int[][] prev = new int[nc][width + 2], cur = new int[nc][width + 2];
        int[] runIndex = new int[nc];
        for (int y = 0; y < height; y++) {
            for (int i = 0; i < nc; i++) {
                int[] p = prev[i], q = cur[i];
                p[width + 1] = p[width]; // Rd past the last column is Rb
                q[0] = p[1];             // Ra of the first column is Rb; Rc comes from the line before
                runIndex[i] = decodeLine(p, q, width, runIndex[i]);
                System.arraycopy(q, 1, planes[i], y * width, width);
                prev[i] = q;
                cur[i] = p;
            }
        }
    }

    private int decodeLine(int[] prev, int[] cur, int w, int runIndex) throws JpegException {
        int x = 1;
        while (x <= w) {
            int ra = cur[x - 1], rb = prev[x], rc = prev[x - 1], rd = prev[x + 1];
            int d1 = rd - rb, d2 = rb - rc, d3 = rc - ra;
            if (Math.abs(d1) <= near && Math.abs(d2) <= near && Math.abs(d3) <= near) {
                // run mode: a run of Ra, ended by the line end or by an interruption sample
                int left = w - x + 1, count = 0;
                while (in.bit() == 1) {
                    int len = Math.min(1 << J[runIndex], left - count);
                    count += len;
                    if (len == (1 << J[runIndex])) runIndex = Math.min(31, runIndex + 1);
                    if (count == left) break;
                }
                boolean endOfLine = count == left;
                if (!endOfLine) {
                    count += in.bits(J[runIndex]);
                    if (count >= left) throw new JpegException("corrupt JPEG-LS data: run past end of line");
                }
                for (int k = 0; k < count; k++) cur[x + k] = ra;
                x += count;
                if (endOfLine) break;
                cur[x] = interruption(ra, prev[x], runIndex);
                runIndex = Math.max(0, runIndex - 1);
                x++;
                continue;
            }
            int q = 81 * quantize(d1) + 9 * quantize(d2) + quantize(d3);
            int sign = 1;
            if (q < 0) {
                sign = -1;
                q = -q;
            }
            // median edge detector, then the context's bias correction
            int px;
            if (rc >= Math.max(ra, rb)) px = Math.min(ra, rb);
            else if (rc <= Math.min(ra, rb)) px = Math.max(ra, rb);
            else px = ra + rb - rc;
            px += sign * c[q];
            px = px < 0 ? 0 : Math.min(px, maxVal);

            int k = 0;
            while ((n[q] << k) < a[q] && k < 31) k++;
            int m = golomb(k, limit);
            int err = (m & 1) == 0 ? m >> 1 : -((m + 1) >> 1);
            if (near == 0 && k == 0 && 2 * b[q] <= -n[q]) err = ~err;
            update(q, err);
            cur[x] = reconstruct(px + sign * err * step);
            x++;
        }
        return runIndex;
    }

    private int interruption(int ra, int rb, int runIndex) throws JpegException {
        int riType = Math.abs(ra - rb) <= near ? 1 : 0;
        int q = RI_CONTEXT + riType;
        int temp = riType == 1 ? a[q] + (n[q] >> 1) : a[q];
        int k = 0;
        while ((n[q] << k) < temp && k < 31) k++;
        int em = golomb(k, limit - J[runIndex] - 1);
        int t = em + riType;
        int mapBit = t & 1;
        int abs = (t + mapBit) >> 1;
        // inverse of the encoder's `map` choice (A.7.2.1): the low bit flips sign meaning when k=0 and 2Nn<N
        boolean flipped = k == 0 && 2 * nn[q] < n[q];
        int err = (mapBit == 1) != flipped ? -abs : abs;
        // context update (A.7.2.2)
        if (err < 0) nn[q]++;
        a[q] += (em + 1 - riType) >> 1;
        if (n[q] == reset) {
            a[q] >>= 1;
            n[q] >>= 1;
            nn[q] >>= 1;
        }
        n[q]++;
        if (riType == 1) return reconstruct(ra + err * step);
        return reconstruct(rb + (rb - ra < 0 ? -1 : 1) * err * step);
    }

    /** Limited-length Golomb code (A.5.3): unary high part, or an escape with qbpp raw bits. */
    private int golomb(int k, int glimit) throws JpegException {
        int high = in.unary(glimit - qbpp - 1);
        if (high == glimit - qbpp - 1) return in.bits(qbpp) + 1;
        if (k == 0) return high;
        if (k > 24) throw new JpegException("corrupt JPEG-LS data: Golomb parameter " + k);
        return (high << k) | in.bits(k);
    }

    private void update(int q, int err) {
        b[q] += err * step;
        a[q] += Math.abs(err);
        if (n[q] == reset) {
            a[q] >>= 1;
            b[q] >>= 1;
            n[q] >>= 1;
        }
        n[q]++;
        if (b[q] <= -n[q]) {
            b[q] += n[q];
            if (c[q] > -128) c[q]--;
            if (b[q] <= -n[q]) b[q] = -n[q] + 1;
        } else if (b[q] > 0) {
            b[q] -= n[q];
            if (c[q] < 127) c[q]++;
            if (b[q] > 0) b[q] = 0;
        }
    }

    /** Undoes the modulo reduction of the error and clamps to [0, MAXVAL]. */
    private int reconstruct(int rx) {
        if (rx < -near) rx += range * step;
        else if (rx > maxVal + near) rx -= range * step;
        return rx < 0 ? 0 : Math.min(rx, maxVal);
    }

    private int quantize(int d) {
        if (d <= -t3) return -4;
        if (d <= -t2) return -3;
        if (d <= -t1) return -2;
        if (d < -near) return -1;
        if (d <= near) return 0;
        if (d < t1) return 1;
        if (d < t2) return 2;
        if (d < t3) return 3;
        return 4;
    }
}
