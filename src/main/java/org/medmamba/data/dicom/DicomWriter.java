package org.medmamba.data.dicom;

import org.medmamba.io.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DICOM dataset being built, and its Part-10 encoding in Explicit VR Little Endian (the one
 * syntax every reader takes): 128-byte preamble, "DICM", the file meta group with its group length,
 * then the elements in ascending tag order, sequences and items with defined lengths. Values are
 * padded to even length as PS3.5 6.2 says (UI with NUL, other text with a space, binary with 0).
 * Only what our own objects need: text, US, binary and sequences.
 */
public final class DicomWriter {
    private record Element(String vr, byte[] value, List<DicomWriter> items) {}

    private final Map<Integer, Element> elements = new TreeMap<>(Integer::compareUnsigned);
    private final boolean meta;

    public DicomWriter() {
        this(false);
    }

    private DicomWriter(boolean meta) {
        this.meta = meta;
    }

    /** A text element (AE, AS, CS, DA, DS, IS, LO, LT, PN, SH, ST, TM, UI, …); null is written empty. */
    public DicomWriter text(int tag, String vr, String value) {
        checkTag(tag);
        byte[] b = (value == null ? "" : value).getBytes(StandardCharsets.ISO_8859_1);
        if (b.length % 2 == 1) {
            b = java.util.Arrays.copyOf(b, b.length + 1);
            b[b.length - 1] = (byte) (vr.equals("UI") ? 0 : ' ');
        }
        return put(tag, new Element(vr, b, null));
    }

    /** One or more unsigned 16-bit values (US). */
    public DicomWriter u16(int tag, int... values) {
        checkTag(tag);
        byte[] b = new byte[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 0xffff) throw new IllegalArgumentException("US value out of range: " + values[i]);
            b[2 * i] = (byte) values[i];
            b[2 * i + 1] = (byte) (values[i] >>> 8);
        }
        return put(tag, new Element("US", b, null));
    }

    /** A binary element (OB, OW, UN); an odd length gets a 0 byte. */
    public DicomWriter bytes(int tag, String vr, byte[] value) {
        checkTag(tag);
        byte[] b = value.length % 2 == 1 ? java.util.Arrays.copyOf(value, value.length + 1) : value;
        return put(tag, new Element(vr, b, null));
    }

    /** A sequence of items (an empty list is an empty sequence). */
    public DicomWriter sequence(int tag, List<DicomWriter> items) {
        checkTag(tag);
        return put(tag, new Element("SQ", null, List.copyOf(items)));
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /**
     * The Part-10 file: preamble, meta group naming sopClassUid / sopInstanceUid (which must be
     * this dataset's (0008,0016) and (0008,0018)), Explicit VR Little Endian, our implementation UID.
     */
    public byte[] toPart10(String sopClassUid, String sopInstanceUid) {
        DicomWriter meta = new DicomWriter(true)
                .bytes(0x00020001, "OB", new byte[]{0, 1})
                .text(DicomDictionary.MEDIA_STORAGE_SOP_CLASS_UID, "UI", sopClassUid)
                .text(0x00020003, "UI", sopInstanceUid)
                .text(DicomDictionary.TRANSFER_SYNTAX_UID, "UI", TransferSyntax.EXPLICIT_LE)
                .text(0x00020012, "UI", DicomUids.IMPLEMENTATION_CLASS_UID)
                .text(0x00020013, "SH", DicomUids.IMPLEMENTATION_VERSION_NAME);
        byte[] metaBody = meta.encode();
        ByteArrayOutputStream out = new ByteArrayOutputStream(metaBody.length + 256);
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        header(out, 0x00020000, "UL", 4);
        int32(out, metaBody.length);
        out.writeBytes(metaBody);
        out.writeBytes(encode());
        return out.toByteArray();
    }

    /** Writes {@link #toPart10} to target atomically. */
    public void write(Path target, String sopClassUid, String sopInstanceUid) throws IOException {
        byte[] b = toPart10(sopClassUid, sopInstanceUid);
        AtomicFiles.write(target, o -> o.write(b));
    }

    /** The elements alone, explicit VR little endian. */
    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (var e : elements.entrySet()) {
            Element v = e.getValue();
            if (v.items() == null) {
                header(out, e.getKey(), v.vr(), v.value().length);
                out.writeBytes(v.value());
                continue;
            }
            ByteArrayOutputStream seq = new ByteArrayOutputStream();
            for (DicomWriter item : v.items()) {
                byte[] body = item.encode();
                int16(seq, 0xFFFE);
                int16(seq, 0xE000);
                int32(seq, body.length);
                seq.writeBytes(body);
            }
            header(out, e.getKey(), "SQ", seq.size());
            out.writeBytes(seq.toByteArray());
        }
        return out.toByteArray();
    }

    private DicomWriter put(int tag, Element e) {
        elements.put(tag, e);
        return this;
    }

    private void checkTag(int tag) {
        if (!meta && (tag >>> 16) == 0x0002) throw new IllegalArgumentException("the file meta group is written by toPart10, not set: " + DicomElement.tagString(tag));
    }

    private static void header(ByteArrayOutputStream out, int tag, String vr, int length) {
        int16(out, tag >>> 16);
        int16(out, tag & 0xffff);
        out.write(vr.charAt(0));
        out.write(vr.charAt(1));
        if (longLength(vr)) {
            int16(out, 0);
            int32(out, length);
        } else {
            if (length > 0xffff) throw new IllegalArgumentException(vr + " value of " + length + " bytes is too long for " + DicomElement.tagString(tag));
            int16(out, length);
        }
    }

    private static boolean longLength(String vr) {
        return switch (vr) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV" -> true;
            default -> false;
        };
    }

    private static void int16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
    }

    private static void int32(ByteArrayOutputStream out, int v) {
        int16(out, v & 0xffff);
        int16(out, v >>> 16);
    }
}
