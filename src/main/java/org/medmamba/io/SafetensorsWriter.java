package org.medmamba.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medmamba.tensor.LongTensor;
import org.medmamba.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Writes float32, int64 and raw (int8, uint8, float16 ...) tensors as a standard safetensors file, atomically. */
public final class SafetensorsWriter {
    private SafetensorsWriter() {}

    /**
     * @param tensors  name → {@link Tensor} (stored as F32), {@link LongTensor} (stored as I64) or {@link RawTensor}
     *                 (stored as its dtype), in file order
     * @param metadata string metadata for "__metadata__" (may be empty)
     */
    public static void write(Path path, Map<String, ?> tensors, Map<String, String> metadata) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long pos = 0;
        for (Map.Entry<String, ?> e : tensors.entrySet()) {
            Object v = e.getValue();
            ObjectNode t = header.putObject(e.getKey());
            int[] shape;
            long bytes;
            if (v instanceof Tensor ft) {
                t.put("dtype", "F32");
                shape = ft.shape();
                bytes = 4L * ft.size();
            } else if (v instanceof LongTensor lt) {
                t.put("dtype", "I64");
                shape = lt.shape();
                bytes = 8L * lt.size();
            } else if (v instanceof RawTensor rt) {
                t.put("dtype", rt.dtype().name());
                shape = rt.shape();
                bytes = rt.data().length;
            } else {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has unsupported type " + v.getClass());
            }
            ArrayNode s = t.putArray("shape");
            for (int d : shape) s.add(d);
            t.putArray("data_offsets").add(pos).add(pos + bytes);
            pos += bytes;
        }
        byte[] hb = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - hb.length % 8) % 8;   // keeps the data 8-byte aligned, as the reference writer does
        byte[] headerBytes = new byte[hb.length + pad];
        System.arraycopy(hb, 0, headerBytes, 0, hb.length);
        for (int i = hb.length; i < headerBytes.length; i++) headerBytes[i] = ' ';
        AtomicFiles.write(path, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
            out.write(len.array());
            out.write(headerBytes);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Object v : tensors.values()) {
                if (v instanceof Tensor ft) {
                    for (float f : ft.data()) {
                        if (buf.remaining() < 4) flush(buf, out);
                        buf.putFloat(f);
                    }
                } else if (v instanceof RawTensor rt) {
                    flush(buf, out);
                    out.write(rt.data());
                } else {
                    for (long l : ((LongTensor) v).data()) {
                        if (buf.remaining() < 8) flush(buf, out);
                        buf.putLong(l);
                    }
                }
            }
            flush(buf, out);
        });
    }

    private static void flush(ByteBuffer buf, java.io.OutputStream out) throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }
}
