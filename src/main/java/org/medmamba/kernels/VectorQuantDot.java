package org.medmamba.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link QuantDot} on the Vector API: a byte vector of as many lanes as a float vector is widened
 * in registers (int8: one load; int4: one load gives the low nibbles for the first half of a group
 * and the high nibbles for the second), then fused multiply-adds against x. Rows of W are split
 * over the kernel threads.
 */
final class VectorQuantDot implements QuantDot {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    /** Bytes for one float vector's lanes; there is no byte vector under 64 bits, so with 4-lane floats (128-bit, NEON) it holds 8. */
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, FS.length() * 8)));
    private static final int L = FS.length();
    /** Bytes one byte-vector load reads: L, or 8 for 4-lane floats (the loops keep that many inside the row). */
    private static final int BL = BS.length();

    @Override
    public void dot(int m, float[] x, int xOff, QuantizedMatrix w, float[] y, int yOff) {
        int n = w.rows(), k = w.cols();
        Parallel.range(n, Math.max(1, 4096 / Math.max(1, m * k / 64 + 1)), (j0, j1) -> {
            for (int i = 0; i < m; i++) {
                int xo = xOff + i * k;
                for (int j = j0; j < j1; j++)
                    y[yOff + i * n + j] = w.bits() == 8 ? dot8(x, xo, w, j) : dot4(x, xo, w, j);
            }
        });
    }

    private static float dot8(float[] x, int xo, QuantizedMatrix w, int j) {
        int k = w.cols(), ro = j * k;
        byte[] d = w.data();
        FloatVector acc = FloatVector.zero(FS);
        int c = 0;
        for (; c <= k - BL; c += L) {
            FloatVector wv = (FloatVector) ByteVector.fromArray(BS, d, ro + c).convertShape(VectorOperators.B2F, FS, 0);
            acc = FloatVector.fromArray(FS, x, xo + c).fma(wv, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; c < k; c++) s += x[xo + c] * d[ro + c];
        return s * w.scales()[j];
    }

    private static float dot4(float[] x, int xo, QuantizedMatrix w, int j) {
        int k = w.cols(), group = w.group(), half = group / 2, groups = w.groups();
        int ro = j * w.rowBytes(), so = j * groups;
        byte[] d = w.data();
        float[] sc = w.scales();
        float total = 0;
        for (int g = 0; g < groups; g++) {
            int c0 = g * group, b0 = ro + g * half;
            float s;
            if (c0 + group <= k && half % L == 0 && BL == L) {
                FloatVector acc = FloatVector.zero(FS);
                for (int t = 0; t < half; t += L) {
                    ByteVector bv = ByteVector.fromArray(BS, d, b0 + t);
                    FloatVector lo = ((FloatVector) bv.lanewise(VectorOperators.AND, (byte) 0x0f)
                            .convertShape(VectorOperators.B2F, FS, 0)).sub(8f);
                    FloatVector hi = ((FloatVector) bv.lanewise(VectorOperators.LSHR, 4).lanewise(VectorOperators.AND, (byte) 0x0f)
                            .convertShape(VectorOperators.B2F, FS, 0)).sub(8f);
                    acc = FloatVector.fromArray(FS, x, xo + c0 + t).fma(lo, acc);
                    acc = FloatVector.fromArray(FS, x, xo + c0 + half + t).fma(hi, acc);
                }
                s = acc.reduceLanes(VectorOperators.ADD);
            } else {   // a short last group, or a group narrower than a vector
                s = 0;
                for (int t = 0; t < half; t++) {
                    int b = d[b0 + t] & 0xff, cl = c0 + t, ch = c0 + half + t;
                    if (cl < k) s += x[xo + cl] * ((b & 0x0f) - 8);
                    if (ch < k) s += x[xo + ch] * ((b >>> 4) - 8);
                }
            }
            total += s * sc[so + g];
        }
        return total;
    }

    /** Row by row through the GEMM's widening ({@link QuantizedPanels#widen}): the same floats, in vector registers where it can. */
    @Override
    public void dequantize(QuantizedMatrix w, int r0, int r1, float[] out) {
        int k = w.cols();
        QuantizedPanels q = new QuantizedPanels(w, null);
        Parallel.range(r1 - r0, (a, b) -> {
            float[] row = new float[k];
            for (int r = r0 + a; r < r0 + b; r++) {
                q.widen(r, 0, k, row);
                System.arraycopy(row, 0, out, (r - r0) * k, k);
            }
        });
    }
}
