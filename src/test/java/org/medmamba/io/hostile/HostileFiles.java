package org.medmamba.io.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes hostile inputs in a few kilobytes each: pickles, .pth archives, safetensors, .npz. Each
 * file is small; what it declares is huge, recursive or inconsistent.
 */
final class HostileFiles {
    private HostileFiles() {}

    /** A pickle, opcode by opcode. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle() { op(0x80, 2); }

        Pickle op(int... ops) { for (int o : ops) out.write(o); return this; }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X').out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        Pickle num(long v) {   // LONG1 with 8 bytes: any long
            op(0x8a, 8).out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            return this;
        }

        Pickle global(String module, String name) {
            op('c').out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle ints(int[] v) {
            op('(');
            for (int x : v) num(x);
            return op('t');
        }

        byte[] bytes() { return out.toByteArray(); }
    }

    /** One tensor of a state dict: a view (offset, size, stride) of float storage {@code key} of {@code numel} elements. */
    record Ref(String name, String key, long numel, long offset, int[] size, int[] stride) {}

    /** OrderedDict of _rebuild_tensor_v2 calls, as torch.save writes a state dict. */
    static byte[] stateDict(List<Ref> refs) {
        Pickle p = new Pickle().global("collections", "OrderedDict").op(')', 'R', '(');
        for (Ref r : refs) {
            p.str(r.name()).global("torch._utils", "_rebuild_tensor_v2").op('(');
            p.op('(').str("storage").global("torch", "FloatStorage").str(r.key()).str("cpu").num(r.numel()).op('t', 'Q');
            p.num(r.offset()).ints(r.size()).ints(r.stride()).op(0x89, 'N', 't', 'R');
        }
        return p.op('u', '.').bytes();
    }

    /** A torch.save-style zip: archive/data.pkl and archive/data/KEY, stored or deflated. */
    static Path pth(Path file, byte[] pickle, Map<String, byte[]> storages, boolean deflate) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            put(z, "archive/data.pkl", pickle, false);
            for (var e : storages.entrySet()) put(z, "archive/data/" + e.getKey(), e.getValue(), deflate);
        }
        return file;
    }

    private static void put(ZipOutputStream z, String name, byte[] data, boolean deflate) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (!deflate) {
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
        }
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    /** Rewrites the uncompressed size the central directory declares for {@code entry} (a lie). */
    static void declareSize(Path zip, String entry, long size) throws IOException {
        byte[] b = Files.readAllBytes(zip);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 < b.length; i++) {
            if (bb.getInt(i) != 0x02014b50) continue;
            int n = bb.getShort(i + 28) & 0xffff;
            if (n == name.length && java.util.Arrays.equals(b, i + 46, i + 46 + n, name, 0, n)) {
                bb.putInt(i + 24, (int) size);
                Files.write(zip, b);
                return;
            }
        }
        throw new IllegalArgumentException("no central directory entry " + entry);
    }

    static byte[] floats(int n, float v) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putFloat(v);
        return b.array();
    }

    /** A safetensors file with this exact header text and data section. */
    static Path safetensors(Path file, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        o.writeBytes(h);
        o.writeBytes(data);
        Files.write(file, o.toByteArray());
        return file;
    }

    /** A version-1 .npy of uint8 with this shape text (e.g. "(0, 0, 0)") and data. */
    static byte[] npy(String shape, byte[] data) {
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': " + shape + ", }";
        StringBuilder h = new StringBuilder(dict);
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0x93);
        o.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        o.write(1);
        o.write(0);
        o.write(h.length() & 0xff);
        o.write(h.length() >> 8);
        o.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        o.writeBytes(data);
        return o.toByteArray();
    }

    static Path npz(Path file, Map<String, byte[]> arrays, boolean deflate) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var e : arrays.entrySet()) put(z, e.getKey() + ".npy", e.getValue(), deflate);
        }
        return file;
    }
}
