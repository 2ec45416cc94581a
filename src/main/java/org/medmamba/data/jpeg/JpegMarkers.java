package org.medmamba.data.jpeg;

/** Marker codes (the byte after 0xFF) and the names used in error messages. */
final class JpegMarkers {
    private JpegMarkers() {}

    static final int SOF0 = 0xC0, SOF1 = 0xC1, SOF2 = 0xC2, SOF3 = 0xC3;
    static final int DHT = 0xC4, JPG = 0xC8, DAC = 0xCC;
    static final int RST0 = 0xD0, RST7 = 0xD7;
    static final int SOI = 0xD8, EOI = 0xD9, SOS = 0xDA, DQT = 0xDB, DNL = 0xDC, DRI = 0xDD;
    static final int APP0 = 0xE0, APP14 = 0xEE, APP15 = 0xEF, COM = 0xFE;
    static final int SOF55 = 0xF7, LSE = 0xF8;

    static boolean isSof(int m) {
        return m >= 0xC0 && m <= 0xCF && m != DHT && m != JPG && m != DAC;
    }

    static boolean isRst(int m) {
        return m >= RST0 && m <= RST7;
    }

    /** Human name of an unsupported start-of-frame marker, e.g. "SOF9 (arithmetic coding)". */
    static String sofName(int m) {
        if (m == SOF55) return "SOF55 (JPEG-LS)";
        int n = m - 0xC0;
        String what = switch (n) {
            case 0 -> "baseline";
            case 1 -> "extended sequential";
            case 2 -> "progressive";
            case 3 -> "lossless";
            case 5, 6, 7 -> "hierarchical";
            case 9, 10, 11 -> "arithmetic coding";
            case 13, 14, 15 -> "hierarchical, arithmetic coding";
            default -> "unknown";
        };
        return "SOF" + n + " (" + what + ")";
    }

    static String hex(int m) {
        return String.format("0xFF%02X", m);
    }
}
