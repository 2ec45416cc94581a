package org.medmamba.data.dicom;

/**
 * Whether a 3-component lossy JPEG stream holds YCbCr, by the rules libjpeg uses (a JFIF marker
 * means YCbCr; else the Adobe APP14 transform flag; else component IDs 'R','G','B' mean RGB and
 * anything else YCbCr). DICOM files labelled RGB whose baseline streams are YCbCr are common, so
 * the stream, not the label, decides the conversion for lossy JPEG. Lossless streams are never
 * colour-transformed.
 */
final class JpegColour {
    private JpegColour() {}

    /** Scans the markers before the first SOS; false when the stream cannot be read that far. */
    static boolean isYcbcr(byte[] b, int off, int len) {
        int end = off + len, p = off;
        if (len < 4 || (b[p] & 0xff) != 0xFF || (b[p + 1] & 0xff) != 0xD8) return false;
        p += 2;
        boolean jfif = false, lossless = false;
        int adobe = -1;
        int[] ids = null;
        while (p + 4 <= end) {
            if ((b[p] & 0xff) != 0xFF) return false;
            int m = b[p + 1] & 0xff;
            if (m == 0xFF) { // fill byte
                p++;
                continue;
            }
            int segLen = ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
            int s = p + 4, segEnd = p + 2 + segLen;
            if (segLen < 2 || segEnd > end) return false;
            if (m == 0xDA) break; // SOS: the header is complete
            if (m == 0xE0 && segLen >= 7 && b[s] == 'J' && b[s + 1] == 'F' && b[s + 2] == 'I' && b[s + 3] == 'F') jfif = true;
            if (m == 0xEE && segLen >= 14 && b[s] == 'A' && b[s + 1] == 'd' && b[s + 2] == 'o' && b[s + 3] == 'b' && b[s + 4] == 'e')
                adobe = b[s + 11] & 0xff;
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC && segLen >= 8) {
                lossless = m == 0xC3 || m == 0xC7 || m == 0xCB || m == 0xCF;
                int n = b[s + 5] & 0xff;
                if (segLen >= 8 + 3 * n) {
                    ids = new int[n];
                    for (int i = 0; i < n; i++) ids[i] = b[s + 6 + 3 * i] & 0xff;
                }
            }
            p = segEnd;
        }
        if (ids == null || ids.length != 3 || lossless) return false;
        if (jfif) return true;
        if (adobe >= 0) return adobe != 0;
        return !(ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B');
    }
}
