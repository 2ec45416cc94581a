package org.medmamba.serve;

/** What an upload is by its first bytes, for bodies sent without an image Content-Type. */
final class Sniff {
    private Sniff() {}

    static boolean looksLikeImage(byte[] b) {
        return starts(b, 0x89, 'P', 'N', 'G') || starts(b, 0xFF, 0xD8, 0xFF) || starts(b, 'I', 'I', 42, 0) || starts(b, 'M', 'M', 0, 42)
                || starts(b, 'B', 'M') || starts(b, 'G', 'I', 'F', '8')
                || b.length >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M';
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((b[i] & 0xFF) != magic[i]) return false;
        return true;
    }
}
