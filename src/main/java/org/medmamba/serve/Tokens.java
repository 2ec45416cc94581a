package org.medmamba.serve;

import org.medmamba.api.MedMambaException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Bearer tokens from a file: one per line, {@code ID:TOKEN} or just {@code TOKEN} (its id is then the
 * first 12 hex digits of its SHA-256); blank lines and {@code #} comments are skipped. Only digests
 * are kept, and a presented token is compared with every one in constant time, so neither the
 * comparison nor the order of the file leaks how much of a guess was right. The id, never the
 * token, goes to the audit log.
 */
final class Tokens {
    private record Entry(String id, byte[] digest) {}

    private final List<Entry> entries;

    private Tokens(List<Entry> entries) {
        this.entries = entries;
    }

    static Tokens load(Path file) throws MedMambaException {
        List<Entry> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MedMambaException(file, "cannot read the token file (" + e.getClass().getSimpleName() + ")", null);
        }
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int colon = line.indexOf(':');
            String id = colon > 0 ? line.substring(0, colon) : null, token = colon > 0 ? line.substring(colon + 1) : line;
            if (token.length() < 16) throw new MedMambaException(file, "a token must be at least 16 characters (line " + (lines.indexOf(raw) + 1) + ")", null);
            byte[] d = sha256(token);
            out.add(new Entry(id != null ? id : HexFormat.of().formatHex(d).substring(0, 12), d));
        }
        if (out.isEmpty()) throw new MedMambaException(file, "holds no token", null);
        return new Tokens(List.copyOf(out));
    }

    /** The id of the token in an "Authorization: Bearer T" header, or null when it is missing or wrong. */
    String check(String authorization) {
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).strip() : "";
        byte[] d = sha256(presented);
        String found = null;
        for (Entry e : entries)   // no early exit: every request costs the same whatever it matched
            if (MessageDigest.isEqual(e.digest, d) & !presented.isEmpty()) found = e.id;
        return found;
    }

    static byte[] sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
