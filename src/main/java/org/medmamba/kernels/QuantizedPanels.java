package org.medmamba.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Integer weights as the B operand of {@link VectorGemm}: op(B)(p, j) = W[j][col(p)], with col(p) = p,
 * or {@code columns[p]} when the product reads W's columns in another order (a convolution's
 * tap-major im2col). The GEMM packs every B panel through {@link #pack}, which widens one row of W
 * at a time into a scratch row and writes it into the kc × NR panel the float GEMM packs anyway
 * (element by element, as the float GEMM packs a transposed B) — so a quantised product never
 * holds a float copy of W, and the panel's values are bit for bit q · scale, the same floats
 * {@link QuantizedMatrix#get} gives. The widening is in vector registers for int8 (a load, or a
 * byte gather through the column order, then B2F) and for int4 groups in W's own order that are a
 * multiple of two vectors wide and lie wholly inside the k block (a nibble mask and a shift per
 * load); cut groups, narrow groups and int4 in another column order (every int4 convolution) go
 * one nibble at a time.
 */
final class QuantizedPanels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    /** Bytes for one float vector's lanes; there is no byte vector under 64 bits, so with 4-lane floats (128-bit, NEON) it holds 8. */
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, FS.length() * 8)));
    private static final int L = FS.length();
    /** Bytes one byte-vector load reads: L, or 8 for 4-lane floats (the loops keep that many inside the row). */
    private static final int BL = BS.length();

    final QuantizedMatrix w;
    /** Columns of op(B) (= k). */
    final int k;
    private final int[] columns;
    /** int4 with a column order: per p, (byte within the row) << 1 | high nibble, and the group. */
    private final int[] nibbleAt, groupAt;

    QuantizedPanels(QuantizedMatrix w, int[] columns) {
        this.w = w;
        this.columns = columns;
        this.k = w.checkColumnOrder(columns);
        if (columns != null && w.bits() == 4) {
            int group = w.group(), half = group / 2;
            nibbleAt = new int[k];
            groupAt = new int[k];
            for (int p = 0; p < k; p++) {
                int c = columns[p], g = c / group, t = c % group;
                nibbleAt[p] = (g * half + t % half) << 1 | (t < half ? 0 : 1);
                groupAt[p] = g;
            }
        } else {
            nibbleAt = groupAt = null;
        }
    }

    /**
     * Packs rows [p0, p0+kc) × columns [j0, j0+nr) of op(B) as dst[d + p·nrPanel + q], zero columns
     * from n = w.rows() up to nrPanel; row is scratch of at least kc floats.
     */
    void pack(int nrPanel, int j0, int p0, int kc, float[] dst, int d, float[] row) {
        int nr = Math.min(nrPanel, w.rows() - j0);
        for (int q = 0; q < nr; q++) {
            widen(j0 + q, p0, kc, row);
            for (int p = 0; p < kc; p++) dst[d + p * nrPanel + q] = row[p];
        }
        for (int q = nr; q < nrPanel; q++)
            for (int p = 0; p < kc; p++) dst[d + p * nrPanel + q] = 0f;
    }

    /** op(B)ᵀ whole, n × k row-major (for products too small to tile). */
    float[] widenAll() {
        float[] all = new float[w.rows() * k], row = new float[k];
        for (int j = 0; j < w.rows(); j++) {
            widen(j, 0, k, row);
            System.arraycopy(row, 0, all, j * k, k);
        }
        return all;
    }

    /** out[p - p0] = op(B)(p, j) for p in [p0, p0+kc). */
    void widen(int j, int p0, int kc, float[] out) {
        if (w.bits() == 8) widen8(j, p0, kc, out);
        else if (columns == null) widen4(j, p0, kc, out);
        else widen4Ordered(j, p0, kc, out);
    }

    private void widen8(int j, int p0, int kc, float[] out) {
        byte[] d = w.data();
        int ro = j * w.cols();
        float s = w.scales()[j];
        int v = 0;
        if (columns == null) {
            for (; v <= kc - BL; v += L)
                ((FloatVector) ByteVector.fromArray(BS, d, ro + p0 + v).convertShape(VectorOperators.B2F, FS, 0)).mul(s).intoArray(out, v);
            for (; v < kc; v++) out[v] = d[ro + p0 + v] * s;
        } else {   // a gather through the column order
            for (; v <= kc - BL; v += L)
                ((FloatVector) ByteVector.fromArray(BS, d, ro, columns, p0 + v).convertShape(VectorOperators.B2F, FS, 0)).mul(s).intoArray(out, v);
            for (; v < kc; v++) out[v] = d[ro + columns[p0 + v]] * s;
        }
    }

    /** Groups wholly inside [p0, p0+kc) and a multiple of two vectors wide go through registers; the rest one nibble at a time. */
    private void widen4(int j, int p0, int kc, float[] out) {
        byte[] d = w.data();
        float[] sc = w.scales();
        int group = w.group(), half = group / 2, groups = w.groups(), ro = j * w.rowBytes(), so = j * groups;
        int p1 = p0 + kc;
        for (int g = p0 / group; g < groups && g * group < p1; g++) {
            int c0 = g * group, b0 = ro + g * half;
            float s = sc[so + g];
            if (c0 >= p0 && c0 + group <= p1 && half % L == 0 && BL == L) {
                for (int t = 0; t < half; t += L) {
                    ByteVector bv = ByteVector.fromArray(BS, d, b0 + t);
                    ((FloatVector) bv.lanewise(VectorOperators.AND, (byte) 0x0f).convertShape(VectorOperators.B2F, FS, 0))
                            .sub(8f).mul(s).intoArray(out, c0 - p0 + t);
                    ((FloatVector) bv.lanewise(VectorOperators.LSHR, 4).lanewise(VectorOperators.AND, (byte) 0x0f)
                            .convertShape(VectorOperators.B2F, FS, 0)).sub(8f).mul(s).intoArray(out, c0 + half - p0 + t);
                }
            } else {
                for (int c = Math.max(c0, p0); c < Math.min(c0 + group, p1); c++) {
                    int t = c - c0, b = d[b0 + t % half] & 0xff;
                    out[c - p0] = ((t < half ? b & 0x0f : b >>> 4) - 8) * s;
                }
            }
        }
    }

    private void widen4Ordered(int j, int p0, int kc, float[] out) {
        byte[] d = w.data();
        float[] sc = w.scales();
        int ro = j * w.rowBytes(), so = j * w.groups();
        for (int v = 0; v < kc; v++) {
            int at = nibbleAt[p0 + v], b = d[ro + (at >>> 1)] & 0xff;
            out[v] = (((at & 1) == 0 ? b & 0x0f : b >>> 4) - 8) * sc[so + groupAt[p0 + v]];
        }
    }
}
