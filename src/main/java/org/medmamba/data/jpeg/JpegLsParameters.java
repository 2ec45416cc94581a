package org.medmamba.data.jpeg;

/** JPEG-LS coding parameters (T.87 C.2.4.1.1): MAXVAL, thresholds T1–T3, RESET, with the defaults of Annex C.2.4.1.1.1. */
record JpegLsParameters(int maxVal, int t1, int t2, int t3, int reset) {

    /** Fills in defaults for zero (unspecified) fields, given the precision and NEAR. */
    static JpegLsParameters resolve(int precision, int near, int maxVal, int t1, int t2, int t3, int reset) throws JpegException {
        int mv = maxVal != 0 ? maxVal : (1 << precision) - 1;
        int d1, d2, d3;
        if (mv >= 128) {
            int factor = (Math.min(mv, 4095) + 128) >> 8;
            d1 = clamp(factor * (3 - 2) + 2 + 3 * near, near + 1, mv);
            d2 = clamp(factor * (7 - 3) + 3 + 5 * near, d1, mv);
            d3 = clamp(factor * (21 - 4) + 4 + 7 * near, d2, mv);
        } else {
            int factor = 256 / (mv + 1);
            d1 = clamp(Math.max(2, 3 / factor + 3 * near), near + 1, mv);
            d2 = clamp(Math.max(3, 7 / factor + 5 * near), d1, mv);
            d3 = clamp(Math.max(4, 21 / factor + 7 * near), d2, mv);
        }
        JpegLsParameters p = new JpegLsParameters(mv, t1 != 0 ? t1 : d1, t2 != 0 ? t2 : d2, t3 != 0 ? t3 : d3, reset != 0 ? reset : 64);
        if (mv < 1 || mv >= (1 << precision) || p.t1 < near + 1 || p.t2 < p.t1 || p.t3 < p.t2 || p.t3 > mv || p.reset < 3)
            throw new JpegException("corrupt JPEG-LS data: bad coding parameters");
        return p;
    }

    private static int clamp(int i, int j, int maxVal) {
        return i > maxVal || i < j ? j : i;
    }
}
