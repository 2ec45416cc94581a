package org.medmamba.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors file opened read-only and memory-mapped: 8-byte little-endian header length, a
 * JSON header ({name: {dtype, shape, data_offsets}}, optional "__metadata__" of strings), then the
 * raw little-endian data. Every offset and length is checked against the file before use, and the
 * format's rules are enforced: no duplicated names, and the tensors, in header order, tile the data
 * section exactly (no overlaps, gaps or out-of-order offsets — overlapping tensors would let one
 * file hold two different models; gaps would let it hide anything).
 */
public final class SafetensorsFile implements AutoCloseable {
    private static final long MAX_HEADER = 100L << 20;   // the format's own limit
    private static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final Path path;
    private final Arena arena;
    private final Map<String, StoredTensor> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Arena arena, Map<String, StoredTensor> tensors, Map<String, String> metadata) {
        this.path = path;
        this.arena = arena;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment file;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                file = ch.size() == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
            long size = file.byteSize();
            if (size < 8) throw new BadFileException(path, "not a safetensors file (" + size + " bytes, shorter than the 8-byte header length)");
            long headerLen = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8)
                throw new BadFileException(path, "not a safetensors file or truncated (header length " + headerLen + ", file size " + size + ")");
            byte[] hb = file.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
            JsonNode root;
            try {
                root = JSON.readTree(new String(hb, StandardCharsets.UTF_8));
            } catch (IOException e) {
                java.util.regex.Matcher dup = java.util.regex.Pattern.compile("Duplicate field '([^']*)'").matcher(String.valueOf(e.getMessage()));
                if (dup.find()) throw new BadFileException(path, "corrupt safetensors header (name '" + dup.group(1) + "' appears twice)");
                throw new BadFileException(path, "corrupt safetensors header (invalid JSON)");
            }
            if (root == null || !root.isObject()) throw new BadFileException(path, "corrupt safetensors header (not a JSON object)");
            long dataStart = 8 + headerLen, dataLen = size - dataStart;
            MemorySegment data = file.asSlice(dataStart, dataLen);
            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            long next = 0;   // where the next tensor must begin
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                JsonNode v = e.getValue();
                if (name.equals("__metadata__")) {
                    if (!v.isObject()) throw new BadFileException(path, "__metadata__ is not an object");
                    v.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().isTextual() ? m.getValue().asText() : m.getValue().toString()));
                    continue;
                }
                StoredTensor t = entry(path, name, v, data, next);
                next += t.storage().byteSize();
                tensors.put(name, t);
            }
            if (next != dataLen)
                throw new BadFileException(path, "the tensors cover " + next + " of the " + dataLen + " data bytes (the rest is unaccounted for)");
            return new SafetensorsFile(path, arena, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(meta));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static StoredTensor entry(Path path, String name, JsonNode v, MemorySegment data, long expectedBegin) throws BadFileException {
        JsonNode dt = v.get("dtype"), sh = v.get("shape"), off = v.get("data_offsets");
        if (dt == null || sh == null || off == null || !sh.isArray() || !off.isArray() || off.size() != 2)
            throw new BadFileException(path, "tensor '" + name + "': header entry needs dtype, shape and data_offsets [begin, end]");
        DType dtype = DType.fromSafetensors(dt.asText());
        if (dtype == null) throw new BadFileException(path, "tensor '" + name + "': unsupported dtype " + dt.asText());
        int[] shape = new int[sh.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = sh.get(i).asLong(-1);
            if (!sh.get(i).canConvertToLong() || d < 0 || d > Integer.MAX_VALUE)
                throw new BadFileException(path, "tensor '" + name + "': bad shape " + sh);
            shape[i] = (int) d;
            numel *= d;
            if (numel > Integer.MAX_VALUE) throw new BadFileException(path, "tensor '" + name + "': too many elements " + sh);
        }
        long begin = off.get(0).asLong(-1), end = off.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > data.byteSize())
            throw new BadFileException(path, "tensor '" + name + "': data_offsets [" + begin + ", " + end + "] outside the data section ("
                    + data.byteSize() + " bytes; file truncated?)");
        if (end - begin != numel * dtype.bytes)
            throw new BadFileException(path, "tensor '" + name + "': " + (end - begin) + " bytes for shape " + sh + " of " + dtype);
        if (begin != expectedBegin)
            throw new BadFileException(path, "tensor '" + name + "': data_offsets [" + begin + ", " + end + "] " + (begin < expectedBegin
                    ? "overlap the previous tensor or are out of order" : "leave a gap after the previous tensor") + " (expected it to begin at "
                    + expectedBegin + ")");
        return new StoredTensor(name, dtype, shape, org.medmamba.tensor.Shape.contiguousStrides(shape), 0, data.asSlice(begin, end - begin));
    }

    public Path path() { return path; }
    public Set<String> names() { return tensors.keySet(); }
    public Map<String, StoredTensor> tensors() { return tensors; }
    public Map<String, String> metadata() { return metadata; }
    public boolean contains(String name) { return tensors.containsKey(name); }

    public StoredTensor get(String name) throws BadFileException {
        StoredTensor t = tensors.get(name);
        if (t == null) throw new BadFileException(path, "no tensor named '" + name + "'");
        return t;
    }

    /** Releases the mapping; tensors already converted stay valid. */
    @Override
    public void close() {
        arena.close();
    }
}
