package org.medmamba.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripsFloatAndLongTensorsWithMetadata() throws IOException {
        Map<String, Object> t = new LinkedHashMap<>();
        Tensor a = Tensor.randn(new Random(1), 1f, 3, 5, 7);
        t.put("a", a);
        t.put("n", new LongTensor(new long[]{42L}, new int[0]));
        Path p = tmp.resolve("x.safetensors");
        SafetensorsWriter.write(p, t, Map.of("k", "v"));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(a.data(), f.get("a").toFloat().data(), 0f);
            assertEquals(42L, f.get("n").toLong().get(0));
            assertEquals("v", f.metadata().get("k"));
        }
    }

    private Path raw(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = tmp.resolve("t" + header.hashCode() + "_" + dataBytes + ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void readsHalfAndBfloat16() throws IOException {
        Path p = tmp.resolve("h.safetensors");
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}";
        byte[] hb = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + hb.length + 6).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(hb.length).put(hb).putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f))
                .putShort((short) (Float.floatToIntBits(3.25f) >>> 16));
        Files.write(p, buf.array());
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new float[]{1.5f, -2f}, f.get("h").toFloat().data(), 0f);
            assertArrayEquals(new float[]{3.25f}, f.get("b").toFloat().data(), 0f);
        }
    }

    @Test
    void rejectsDamagedFilesWithOneLineErrors() throws IOException {
        Path[] bad = {
                raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8),     // truncated data
                raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,12]}}", 16),     // size mismatch
                raw("{\"a\":{\"dtype\":\"Q7\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16),      // unknown dtype
                raw("{not json", 0),
                raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4),
        };
        for (Path p : bad) {
            BadFileException e = assertThrows(BadFileException.class, () -> SafetensorsFile.open(p).close(), p.toString());
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        Path tiny = tmp.resolve("tiny.safetensors");
        Files.write(tiny, new byte[]{1, 2, 3});
        assertThrows(BadFileException.class, () -> SafetensorsFile.open(tiny).close());
        Path huge = tmp.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array());
        assertThrows(BadFileException.class, () -> SafetensorsFile.open(huge).close());
    }
}
