package org.medmamba.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads NumPy .npy arrays (format versions 1, 2 and 3): the magic, the header dict with
 * 'descr', 'fortran_order' and 'shape', then the raw C-order data. Only integer dtypes are accepted;
 * the data must be exactly shape-product × item-size bytes and at most {@link #MAX_BYTES}.
 */
public final class NpyReader {
    /** Java arrays stop at 2^31 − 1 elements; one array must fit in one byte[]. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    static final Set<String> INTEGER_DTYPES = Set.of("|u1", "<u1", ">u1", "|i1", "<i1", ">i1", "<u2", ">u2", "<i2", ">i2",
            "<u4", ">u4", "<i4", ">i4", "<u8", ">u8", "<i8", ">i8");

    private NpyReader() {}

    /** Reads one array; {@code name} (e.g. "x.npz:train_images") goes in every error message. */
    public static NpyArray read(InputStream in, String name) throws IOException {
        return read(in, name, -1);
    }

    /**
     * As {@link #read(InputStream, String)}, where {@code size} is the stream's length when known (a zip entry's
     * uncompressed size, else −1): a mismatch is reported before the data array is allocated.
     */
    public static NpyArray read(InputStream in, String name, long size) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || (magic[0] & 0xff) != 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY"))
            throw new IOException(name + ": not a NumPy .npy array (bad magic)");
        int major = magic[6];
        int headerLen;
        if (major == 1) {
            byte[] b = in.readNBytes(2);
            if (b.length < 2) throw new IOException(name + ": truncated .npy header");
            headerLen = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) throw new IOException(name + ": truncated .npy header");
            long len = (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
            if (len > 1 << 20) throw new IOException(name + ": .npy header of " + len + " bytes");
            headerLen = (int) len;
        } else {
            throw new IOException(name + ": unsupported .npy format version " + major + "." + magic[7]);
        }
        byte[] hb = in.readNBytes(headerLen);
        if (hb.length < headerLen) throw new IOException(name + ": truncated .npy header");
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict;
        try {
            dict = new Literal(header).dict();
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": bad .npy header (" + e.getMessage() + "): " + header.strip());
        }
        if (!(dict.get("descr") instanceof String descr)) throw new IOException(name + ": .npy header lacks 'descr'");
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) throw new IOException(name + ": .npy header lacks 'fortran_order'");
        if (!(dict.get("shape") instanceof List<?> dims)) throw new IOException(name + ": .npy header lacks 'shape'");
        if (fortran) throw new IOException(name + ": Fortran-order array is not supported (save it with np.ascontiguousarray)");
        if (!INTEGER_DTYPES.contains(descr))
            throw new IOException(name + ": dtype '" + descr + "' is not supported (expected an integer type such as |u1 or <i8)");
        long[] shape = new long[dims.size()];
        long bytes = Integer.parseInt(descr.substring(2));
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0) throw new IOException(name + ": bad shape " + dims);
            shape[i] = d;
            bytes = d != 0 && bytes > Long.MAX_VALUE / d ? Long.MAX_VALUE : bytes * d;
        }
        NpyArray probe = new NpyArray(name, descr, shape, new byte[0]);
        if (bytes > MAX_BYTES)
            throw new IOException(name + ": array of shape " + probe.shapeString() + " is " + bytes + " bytes; at most 2 GiB per array is supported");
        long headerBytes = 8 + (major == 1 ? 2 : 4) + headerLen;
        if (size >= 0 && size != headerBytes + bytes)
            throw new IOException(name + ": " + (size - headerBytes) + " data bytes, shape " + probe.shapeString() + " needs " + bytes);
        byte[] data;
        if (size >= 0) { // size checked: allocate once, no growing copies of a large array
            data = new byte[(int) bytes];
            int got = in.readNBytes(data, 0, data.length);
            if (got < bytes) data = java.util.Arrays.copyOf(data, got);
        } else {
            data = in.readNBytes((int) bytes); // grows as data arrives, so a lying header cannot force a huge allocation
        }
        if (data.length < bytes)
            throw new IOException(name + ": truncated data (" + data.length + " of " + bytes + " bytes for shape " + probe.shapeString() + ")");
        if (in.read() != -1) throw new IOException(name + ": more data than shape " + probe.shapeString() + " holds");
        return new NpyArray(name, descr, shape, data);
    }

    /** The Python literal subset numpy writes: {'key': value, ...} with strings, True/False, ints and tuples. */
    private static final class Literal {
        final String s;
        int i;

        Literal(String s) {
            this.s = s;
        }

        Map<String, Object> dict() {
            Map<String, Object> m = new LinkedHashMap<>();
            expect('{');
            while (peek() != '}') {
                String key = (String) string();
                expect(':');
                m.put(key, value());
                if (peek() == ',') i++;
                else if (peek() != '}') throw new IllegalArgumentException("expected , or } at " + i);
            }
            i++;
            return m;
        }

        Object value() {
            char c = peek();
            if (c == '\'' || c == '"') return string();
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                i++;
                List<Object> l = new ArrayList<>();
                while (peek() != close) {
                    l.add(value());
                    if (peek() == ',') i++;
                    else if (peek() != close) throw new IllegalArgumentException("expected , or " + close + " at " + i);
                }
                i++;
                return l;
            }
            if (s.startsWith("True", i)) { i += 4; return true; }
            if (s.startsWith("False", i)) { i += 5; return false; }
            int start = i;
            if (c == '-') i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            if (i < s.length() && s.charAt(i) == 'L') i++; // Python 2 longs
            try {
                return Long.parseLong(s.substring(start, i).replace("L", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unexpected '" + c + "' at " + start);
            }
        }

        Object string() {
            char q = peek();
            if (q != '\'' && q != '"') throw new IllegalArgumentException("expected a string at " + i);
            int end = s.indexOf(q, ++i);
            if (end < 0) throw new IllegalArgumentException("unterminated string");
            String v = s.substring(i, end);
            i = end + 1;
            return v;
        }

        char peek() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
            if (i >= s.length()) throw new IllegalArgumentException("unexpected end");
            return s.charAt(i);
        }

        void expect(char c) {
            if (peek() != c) throw new IllegalArgumentException("expected " + c + " at " + i);
            i++;
        }
    }
}
