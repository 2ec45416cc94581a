package org.medmamba.serve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * multipart/form-data (RFC 7578) over a body already read whole and bounded: the parts that carry a
 * filename, in order. Parsed here, in memory, rather than by the servlet container, which spools
 * large parts to temporary files — an uploaded scan must never land on disk.
 */
final class Multipart {
    private Multipart() {}

    /** One uploaded file: its name (base name only, as sent), declared type (may be null) and bytes. */
    record Part(String filename, String contentType, byte[] body) {}

    static String boundary(String contentType) throws HttpFailure {
        for (String p : contentType.split(";")) {
            String t = p.strip();
            if (t.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = t.substring(9);
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
                if (!b.isEmpty() && b.length() <= 70) return b;
            }
        }
        throw new HttpFailure(400, "multipart/form-data without a valid boundary parameter");
    }

    static List<Part> parse(byte[] body, String boundary) throws HttpFailure {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int pos = indexOf(body, delim, 0);
        if (pos < 0) throw new HttpFailure(400, "multipart body without its boundary");
        while (true) {
            int after = pos + delim.length;
            if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') return parts;   // closing delimiter
            int headStart = skipLine(body, after);
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headStart);
            if (headStart < 0 || headEnd < 0) throw new HttpFailure(400, "malformed multipart body (part " + (parts.size() + 1) + " has no header end)");
            String headers = new String(body, headStart, headEnd - headStart, StandardCharsets.UTF_8);
            int dataStart = headEnd + 4;
            byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            int dataEnd = indexOf(body, next, dataStart);
            if (dataEnd < 0) throw new HttpFailure(400, "malformed multipart body (part " + (parts.size() + 1) + " is not closed by the boundary)");
            String filename = null, type = null;
            for (String h : headers.split("\r\n")) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-disposition:")) filename = param(h, "filename");
                else if (lower.startsWith("content-type:")) type = h.substring(h.indexOf(':') + 1).strip();
            }
            if (filename != null) {
                String base = filename.replace('\\', '/');
                base = base.substring(base.lastIndexOf('/') + 1);
                parts.add(new Part(base.isEmpty() ? "part" + (parts.size() + 1) : base, type, java.util.Arrays.copyOfRange(body, dataStart, dataEnd)));
            }
            pos = dataEnd + 2;
        }
    }

    private static String param(String header, String name) {
        for (String p : header.split(";")) {
            String t = p.strip();
            if (t.regionMatches(true, 0, name + "=", 0, name.length() + 1)) {
                String v = t.substring(name.length() + 1);
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    private static int skipLine(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i + 2;
        return -1;
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
