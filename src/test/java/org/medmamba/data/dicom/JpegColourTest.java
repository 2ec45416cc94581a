package org.medmamba.data.dicom;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** libjpeg's rules for whether a 3-component stream is YCbCr, on hand-made marker sequences. */
class JpegColourTest {
    static byte[] stream(int sof, byte[] app, int... ids) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0xFF);
        o.write(0xD8);
        if (app != null) o.writeBytes(app);
        int len = 8 + 3 * ids.length;
        o.writeBytes(new byte[]{(byte) 0xFF, (byte) sof, 0, (byte) len, 8, 0, 2, 0, 2, (byte) ids.length});
        for (int id : ids) o.writeBytes(new byte[]{(byte) id, 0x11, 0});
        o.writeBytes(new byte[]{(byte) 0xFF, (byte) 0xDA, 0, 2});
        return o.toByteArray();
    }

    static final byte[] JFIF = {(byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};

    static byte[] adobe(int transform) {
        return new byte[]{(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
    }

    static boolean ycbcr(byte[] b) {
        return JpegColour.isYcbcr(b, 0, b.length);
    }

    @Test
    void followsLibjpegDefaults() {
        assertTrue(ycbcr(stream(0xC0, null, 1, 2, 3)), "ids 1,2,3");
        assertFalse(ycbcr(stream(0xC0, null, 'R', 'G', 'B')), "ids R,G,B");
        assertTrue(ycbcr(stream(0xC0, JFIF, 'R', 'G', 'B')), "JFIF wins");
        assertFalse(ycbcr(stream(0xC1, adobe(0), 1, 2, 3)), "Adobe transform 0");
        assertTrue(ycbcr(stream(0xC1, adobe(1), 'R', 'G', 'B')), "Adobe transform 1");
        assertFalse(ycbcr(stream(0xC3, JFIF, 1, 2, 3)), "lossless is never converted");
        assertFalse(ycbcr(stream(0xC0, null, 1)), "one component");
        assertFalse(ycbcr(new byte[]{1, 2, 3, 4, 5}), "not a JPEG");
        byte[] cut = stream(0xC0, JFIF, 1, 2, 3);
        assertFalse(JpegColour.isYcbcr(cut, 0, 10), "truncated header");
    }
}
