package org.medmamba.data.dicom;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** The elements of a dataset (or sequence item) by tag, with typed getters that never throw on odd values. */
public final class DicomDataset {
    private final Map<Integer, DicomElement> elements = new TreeMap<>(Integer::compareUnsigned);
    private final boolean bigEndian;

    public DicomDataset(boolean bigEndian) {
        this.bigEndian = bigEndian;
    }

    void put(DicomElement e) {
        elements.put(e.tag(), e);
    }

    public DicomElement get(int tag) {
        return elements.get(tag);
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    public Collection<DicomElement> elements() {
        return elements.values();
    }

    /** The whole value as text with trailing NUL/space padding removed; null when absent. */
    public String string(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.items() != null) return null;
        String s = new String(e.buf(), e.offset(), e.length(), StandardCharsets.ISO_8859_1);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) end--;
        return s.substring(0, end).strip();
    }

    /** The first of a backslash-separated value; null when absent or empty. */
    public String first(int tag) {
        String s = string(tag);
        if (s == null) return null;
        int i = s.indexOf('\\');
        s = (i >= 0 ? s.substring(0, i) : s).strip();
        return s.isEmpty() ? null : s;
    }

    /**
     * The first value as an integer: binary by VR (US unsigned and SS signed 16 bits, UL/SL 32 bits;
     * a VR-less UN value by its length) or text (IS, DS); def when absent or unreadable.
     */
    public int integer(int tag, int def) {
        DicomElement e = elements.get(tag);
        if (e == null || e.items() != null || e.length() == 0) return def;
        if (isText(e)) {
            Double d = parse(first(tag));
            return d == null || d > Integer.MAX_VALUE || d < Integer.MIN_VALUE ? def : (int) Math.round(d);
        }
        boolean word = switch (e.vr()) {
            case "US", "SS", "OW" -> true;
            case "UL", "SL", "OL" -> false;
            default -> e.length() < 4;
        };
        if (word) return e.length() < 2 ? def : e.vr().equals("SS") ? (short) u16(e, 0) : u16(e, 0);
        if (e.length() < 4) return def;
        return (int) (bigEndian ? ByteReader.u32be(e.buf(), e.offset()) : ByteReader.u32le(e.buf(), e.offset()));
    }

    /** Unsigned 16-bit words of a binary value (LUT descriptors and data). */
    public int[] u16s(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.items() != null) return null;
        int[] v = new int[e.length() / 2];
        for (int i = 0; i < v.length; i++) v[i] = u16(e, i);
        return v;
    }

    /** The first number of a DS/IS value; def when absent or not a number. */
    public double decimal(int tag, double def) {
        Double d = parse(first(tag));
        return d == null || !Double.isFinite(d) ? def : d;
    }

    public boolean bigEndian() {
        return bigEndian;
    }

    private int u16(DicomElement e, int i) {
        int a = e.buf()[e.offset() + 2 * i] & 0xff, b = e.buf()[e.offset() + 2 * i + 1] & 0xff;
        return bigEndian ? (a << 8) | b : (b << 8) | a;
    }

    private static boolean isText(DicomElement e) {
        return switch (e.vr()) {
            case "IS", "DS", "CS", "LO", "SH", "UI", "ST", "LT", "UT", "PN", "DA", "TM", "DT", "AS" -> true;
            default -> false;
        };
    }

    private static Double parse(String s) {
        if (s == null) return null;
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException ex) {
            return null;
        }
    }
}
