package org.medmamba.data.jpeg;

/**
 * Inverse DCT: a port of libjpeg's accurate integer "ISLOW" algorithm (jidctint.c, Loeffler–
 * Ligtenberg–Moschytz with 13-bit constants), so lossy output matches gdcm/libjpeg closely.
 * PASS1_BITS is 2 for 8-bit and 1 for 12-bit samples, as in libjpeg, to keep 32-bit headroom.
 */
final class Idct {
    private Idct() {}

    private static final int CONST_BITS = 13;
    private static final int FIX_0_298631336 = 2446;
    private static final int FIX_0_390180644 = 3196;
    private static final int FIX_0_541196100 = 4433;
    private static final int FIX_0_765366865 = 6270;
    private static final int FIX_0_899976223 = 7373;
    private static final int FIX_1_175875602 = 9633;
    private static final int FIX_1_501321110 = 12299;
    private static final int FIX_1_847759065 = 15137;
    private static final int FIX_1_961570560 = 16069;
    private static final int FIX_2_053119869 = 16819;
    private static final int FIX_2_562915447 = 20995;
    private static final int FIX_3_072711026 = 25172;

    /**
     * Transforms one block of dequantized coefficients (natural order) and writes level-shifted,
     * clamped samples into out[offset + y·stride + x].
     *
     * @param ws scratch of 64 ints
     */
    static void islow(int[] in, int[] ws, int[] out, int offset, int stride, int precision) {
        final int pass1 = precision <= 8 ? 2 : 1;
        final int center = 1 << (precision - 1);
        final int max = (1 << precision) - 1;

        // Pass 1: columns from input into the work array, scaled up by 2^pass1.
        for (int c = 0; c < 8; c++) {
            if (in[c + 8] == 0 && in[c + 16] == 0 && in[c + 24] == 0 && in[c + 32] == 0
                    && in[c + 40] == 0 && in[c + 48] == 0 && in[c + 56] == 0) {
                int dc = in[c] << pass1; // AC-free column: constant output
                ws[c] = dc; ws[c + 8] = dc; ws[c + 16] = dc; ws[c + 24] = dc;
                ws[c + 32] = dc; ws[c + 40] = dc; ws[c + 48] = dc; ws[c + 56] = dc;
                continue;
            }
            int z2 = in[c + 16], z3 = in[c + 48];
            int z1 = (z2 + z3) * FIX_0_541196100;
            int tmp2 = z1 + z3 * -FIX_1_847759065;
            int tmp3 = z1 + z2 * FIX_0_765366865;
            z2 = in[c];
            z3 = in[c + 32];
            int tmp0 = (z2 + z3) << CONST_BITS;
            int tmp1 = (z2 - z3) << CONST_BITS;
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3;
            int tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

            tmp0 = in[c + 56];
            tmp1 = in[c + 40];
            tmp2 = in[c + 24];
            tmp3 = in[c + 8];
            z1 = tmp0 + tmp3;
            z2 = tmp1 + tmp2;
            z3 = tmp0 + tmp2;
            int z4 = tmp1 + tmp3;
            int z5 = (z3 + z4) * FIX_1_175875602;
            tmp0 *= FIX_0_298631336;
            tmp1 *= FIX_2_053119869;
            tmp2 *= FIX_3_072711026;
            tmp3 *= FIX_1_501321110;
            z1 *= -FIX_0_899976223;
            z2 *= -FIX_2_562915447;
            z3 *= -FIX_1_961570560;
            z4 *= -FIX_0_390180644;
            z3 += z5;
            z4 += z5;
            tmp0 += z1 + z3;
            tmp1 += z2 + z4;
            tmp2 += z2 + z3;
            tmp3 += z1 + z4;

            int sh = CONST_BITS - pass1, rnd = 1 << (sh - 1);
            ws[c] = (tmp10 + tmp3 + rnd) >> sh;
            ws[c + 56] = (tmp10 - tmp3 + rnd) >> sh;
            ws[c + 8] = (tmp11 + tmp2 + rnd) >> sh;
            ws[c + 48] = (tmp11 - tmp2 + rnd) >> sh;
            ws[c + 16] = (tmp12 + tmp1 + rnd) >> sh;
            ws[c + 40] = (tmp12 - tmp1 + rnd) >> sh;
            ws[c + 24] = (tmp13 + tmp0 + rnd) >> sh;
            ws[c + 32] = (tmp13 - tmp0 + rnd) >> sh;
        }

        // Pass 2: rows from the work array to output, removing the 2^pass1 and the 8x DCT gain.
        final int sh = CONST_BITS + pass1 + 3, rnd = 1 << (sh - 1);
        for (int r = 0; r < 8; r++) {
            int w = r * 8;
            int o = offset + r * stride;
            if (ws[w + 1] == 0 && ws[w + 2] == 0 && ws[w + 3] == 0 && ws[w + 4] == 0
                    && ws[w + 5] == 0 && ws[w + 6] == 0 && ws[w + 7] == 0) {
                int v = clamp(((ws[w] + (1 << (pass1 + 2))) >> (pass1 + 3)) + center, max);
                out[o] = v; out[o + 1] = v; out[o + 2] = v; out[o + 3] = v;
                out[o + 4] = v; out[o + 5] = v; out[o + 6] = v; out[o + 7] = v;
                continue;
            }
            int z2 = ws[w + 2], z3 = ws[w + 6];
            int z1 = (z2 + z3) * FIX_0_541196100;
            int tmp2 = z1 + z3 * -FIX_1_847759065;
            int tmp3 = z1 + z2 * FIX_0_765366865;
            int tmp0 = (ws[w] + ws[w + 4]) << CONST_BITS;
            int tmp1 = (ws[w] - ws[w + 4]) << CONST_BITS;
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3;
            int tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

            tmp0 = ws[w + 7];
            tmp1 = ws[w + 5];
            tmp2 = ws[w + 3];
            tmp3 = ws[w + 1];
            z1 = tmp0 + tmp3;
            z2 = tmp1 + tmp2;
            z3 = tmp0 + tmp2;
            int z4 = tmp1 + tmp3;
            int z5 = (z3 + z4) * FIX_1_175875602;
            tmp0 *= FIX_0_298631336;
            tmp1 *= FIX_2_053119869;
            tmp2 *= FIX_3_072711026;
            tmp3 *= FIX_1_501321110;
            z1 *= -FIX_0_899976223;
            z2 *= -FIX_2_562915447;
            z3 *= -FIX_1_961570560;
            z4 *= -FIX_0_390180644;
            z3 += z5;
            z4 += z5;
            tmp0 += z1 + z3;
            tmp1 += z2 + z4;
            tmp2 += z2 + z3;
            tmp3 += z1 + z4;

            out[o] = clamp(((tmp10 + tmp3 + rnd) >> sh) + center, max);
            out[o + 7] = clamp(((tmp10 - tmp3 + rnd) >> sh) + center, max);
            out[o + 1] = clamp(((tmp11 + tmp2 + rnd) >> sh) + center, max);
            out[o + 6] = clamp(((tmp11 - tmp2 + rnd) >> sh) + center, max);
            out[o + 2] = clamp(((tmp12 + tmp1 + rnd) >> sh) + center, max);
            out[o + 5] = clamp(((tmp12 - tmp1 + rnd) >> sh) + center, max);
            out[o + 3] = clamp(((tmp13 + tmp0 + rnd) >> sh) + center, max);
            out[o + 4] = clamp(((tmp13 - tmp0 + rnd) >> sh) + center, max);
        }
    }

    private static int clamp(int v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }
}
