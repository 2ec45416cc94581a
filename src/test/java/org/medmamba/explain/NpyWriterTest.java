package org.medmamba.explain;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class NpyWriterTest {
    @Test
    void headerIsVersion1LittleEndianFloat32AndTheDataRoundTrips() {
        float[] d = new float[3 * 5];
        for (int i = 0; i < d.length; i++) d[i] = i * 0.25f - 1.5f;
        d[7] = Float.MIN_VALUE;
        byte[] b = NpyWriter.bytes(d, 3, 5);
        assertEquals(0x93, b[0] & 0xff);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.ISO_8859_1));
        assertEquals(1, b[6]);
        assertEquals(0, b[7]);
        int hlen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + hlen) % 64, "data aligned to 64 bytes");
        String header = new String(b, 10, hlen, StandardCharsets.ISO_8859_1);
        assertTrue(header.endsWith("\n"));
        assertTrue(header.contains("'descr': '<f4'"), header);
        assertTrue(header.contains("'fortran_order': False"), header);
        assertTrue(header.contains("'shape': (3, 5)"), header);
        assertEquals(10 + hlen + 4 * d.length, b.length);
        ByteBuffer data = ByteBuffer.wrap(b, 10 + hlen, 4 * d.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : d) assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(data.getFloat()));
    }

    @Test
    void oneDimensionalShapeHasTheTrailingComma() {
        String h = new String(NpyWriter.bytes(new float[4], 4), 10, 54, StandardCharsets.ISO_8859_1);
        assertTrue(h.contains("'shape': (4,)"), h);
        assertThrows(IllegalArgumentException.class, () -> NpyWriter.bytes(new float[5], 2, 2));
    }
}
