package org.medmamba.data.dicom;

import org.medmamba.io.BadFileException;
import org.medmamba.io.Limits;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Parses DICOM Part-10 files: preamble and "DICM", the file meta group (explicit VR little
 * endian), then the dataset in its transfer syntax (implicit/explicit VR, either byte order,
 * deflated), with nested sequences of defined and undefined length and encapsulated pixel data.
 * Every length is checked against the data before use; problems become one-line
 * {@link BadFileException}s.
 */
public final class DicomReader {
    static final long UNDEFINED = 0xFFFFFFFFL;
    static final int ITEM = 0xFFFEE000, ITEM_DELIM = 0xFFFEE00D, SEQ_DELIM = 0xFFFEE0DD;
    private static final int HEADER_PREFIX = 64 << 10;

    private DicomReader() {}

    /** Reads and parses the whole file, pixel data included. */
    public static DicomFile read(Path path) throws IOException {
        return read(path, readAll(path));
    }

    /** Parses a file already in memory; name is used in messages only. */
    public static DicomFile read(Path name, byte[] bytes) throws IOException {
        return parse(name, bytes, false, false);
    }

    /** The header of a file already in memory (for tests of damaged data). */
    static DicomFile readHeader(Path name, byte[] bytes) throws IOException {
        return parse(name, bytes, true, false);
    }

    /**
     * Parses up to (not including) the pixel data, reading only as much of the file as that takes
     * (starting with 64 KiB and doubling), so scanning large folders stays cheap.
     */
    public static DicomFile readHeader(Path path) throws IOException {
        long size = size(path);
        int n = (int) Math.min(size, HEADER_PREFIX);
        while (true) {
            byte[] prefix = readPrefix(path, n);
            boolean whole = n >= size;
            try {
                return parse(path, prefix, true, !whole);
            } catch (NeedMore e) {
                n = (int) Math.min(size, 2L * n);
            }
        }
    }

    /**
     * The file meta group (0002,xxxx) alone, from the first 8 KiB of the file; null when the file
     * has no readable meta group.
     */
    public static DicomDataset readMeta(Path path) {
        try {
            byte[] prefix = readPrefix(path, 8 << 10);
            Parser p = new Parser(path, true, true);
            p.metaOnly = true;
            return p.parse(prefix).meta();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the file has "DICM" at offset 128 (the Part-10 marker). */
    public static boolean hasMagic(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes(132);
            return b.length == 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The data ran out in a prefix read: read more of the file. */
    private static final class NeedMore extends RuntimeException {
        NeedMore() {
            super(null, null, false, false);
        }
    }

    static byte[] readAll(Path path) throws IOException {
        size(path);
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new BadFileException(path, "cannot read (" + e.getMessage() + ")");
        }
    }

    private static long size(Path path) throws IOException {
        BadFileException.requireRegularFile(path);
        long size = Files.size(path);
        Limits.current().checkFileSize(path);
        return size;
    }

    private static byte[] readPrefix(Path path, int n) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(n);
        }
    }

    private static DicomFile parse(Path name, byte[] b, boolean headerOnly, boolean prefix) throws IOException {
        try {
            return new DicomReader.Parser(name, headerOnly, prefix).parse(b);
        } catch (ByteReader.Truncated e) {
            if (prefix) throw new NeedMore();
            throw new BadFileException(name, "truncated DICOM data: " + e.getMessage());
        } catch (NeedMore e) {
            throw e;
        } catch (RuntimeException e) { // a parser bug must still be a one-line file error
            throw new BadFileException(name, "malformed DICOM data (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private static final class Parser {
        final Path name;
        final boolean headerOnly, prefix;
        boolean metaOnly;
        PixelData pixelData;
        boolean sawPixelData;

        Parser(Path name, boolean headerOnly, boolean prefix) {
            this.name = name;
            this.headerOnly = headerOnly;
            this.prefix = prefix;
        }

        DicomFile parse(byte[] b) throws IOException {
            int start;
            DicomDataset meta = new DicomDataset(false);
            boolean magic = b.length >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M';
            if (magic) start = 132;
            else if (b.length >= 8 && b[1] == 0 && (b[0] == 2 || b[0] == 8)) start = 0; // ACR-NEMA style: no preamble
            else throw new BadFileException(name, "not a DICOM file (no DICM marker at offset 128)");

            ByteReader r = new ByteReader(b, start, b.length, false);
            while (r.remaining() >= 8 && r.buf[r.pos] == 2 && r.buf[r.pos + 1] == 0) // group 0002, little endian
                element(r, looksExplicit(r), meta, 0, false);
            if (metaOnly) return new DicomFile(name, TransferSyntax.of(TransferSyntax.EXPLICIT_LE), meta, new DicomDataset(false), null, false);
            String uid = meta.string(DicomDictionary.TRANSFER_SYNTAX_UID);
            TransferSyntax ts = TransferSyntax.of(uid != null && !uid.isEmpty() ? uid
                    : looksExplicit(r) ? TransferSyntax.EXPLICIT_LE : TransferSyntax.IMPLICIT_LE);

            byte[] body = b;
            int pos = r.pos, limit = b.length;
            if (ts.deflated()) {
                body = inflate(b, r.pos);
                pos = 0;
                limit = body.length;
            }
            ByteReader br = new ByteReader(body, pos, limit, ts.bigEndian());
            DicomDataset ds = new DicomDataset(ts.bigEndian());
            while (br.remaining() > 0 && !(headerOnly && sawPixelData)) {
                if (br.remaining() < 8 && allZero(br)) break; // trailing padding
                element(br, ts.explicitVr(), ds, 0, true);
            }
            if (prefix && !sawPixelData) throw new NeedMore(); // the pixel data may lie beyond the prefix
            return new DicomFile(name, ts, meta, ds, pixelData, sawPixelData);
        }

        private static boolean allZero(ByteReader r) {
            for (int i = r.pos; i < r.limit; i++) if (r.buf[i] != 0) return false;
            return true;
        }

        /** Whether the next element header carries a VR (two upper-case letters after the tag). */
        private static boolean looksExplicit(ByteReader r) {
            if (r.remaining() < 6) return true;
            return Character.isUpperCase(r.buf[r.pos + 4]) && Character.isUpperCase(r.buf[r.pos + 5]);
        }

        private byte[] inflate(byte[] b, int pos) throws IOException {
            Inflater inf = new Inflater(true);
            try {
                inf.setInput(b, pos, b.length - pos);
                byte[] out = new byte[Math.max(1024, Math.min((b.length - pos) * 4, 1 << 20))];
                int n = 0;
                while (!inf.finished()) {
                    if (n == out.length) {
                        long max = Limits.current().fileBytes();
                        if (out.length >= max) throw new BadFileException(name, "deflated dataset inflates past " + Limits.size(max)
                                + " (" + Limits.PREFIX + "fileBytes)");
                        out = java.util.Arrays.copyOf(out, (int) Math.min(max, 2L * out.length));
                    }
                    int k = inf.inflate(out, n, out.length - n);
                    n += k;
                    if (k == 0 && (inf.needsInput() || inf.needsDictionary())) break; // truncated stream: parse what there is
                }
                return java.util.Arrays.copyOf(out, n);
            } catch (DataFormatException e) {
                throw new BadFileException(name, "corrupt deflated dataset (" + e.getMessage() + ")");
            } finally {
                inf.end();
            }
        }

        /** Reads one element into ds. */
        private void element(ByteReader r, boolean explicit, DicomDataset ds, int depth, boolean top) throws IOException {
            int at = r.pos;
            int tag = (r.u16() << 16) | r.u16();
            String vr;
            long len;
            if (explicit && (tag >>> 16) != 0xFFFE) {
                r.need(2, "VR");
                char c0 = (char) (r.buf[r.pos] & 0xff), c1 = (char) (r.buf[r.pos + 1] & 0xff);
                if (c0 >= 'A' && c0 <= 'Z' && c1 >= 'A' && c1 <= 'Z') {
                    vr = "" + c0 + c1;
                    r.pos += 2;
                    if (longLength(vr)) {
                        r.skip(2, "reserved bytes");
                        len = r.u32();
                    } else {
                        len = r.u16();
                    }
                } else { // an implicit element inside an explicit file: tolerate, as toolkits do
                    vr = DicomDictionary.vr(tag);
                    len = r.u32();
                }
            } else {
                vr = DicomDictionary.vr(tag);
                len = r.u32();
            }
            if (tag == ITEM_DELIM || tag == SEQ_DELIM || tag == ITEM)
                throw new BadFileException(name, "unexpected " + DicomElement.tagString(tag) + " at offset " + at);
            if (tag == DicomDictionary.PIXEL_DATA && top) {
                sawPixelData = true;
                if (headerOnly) return;
                if (len == UNDEFINED) pixelData = encapsulated(r, vr);
                else {
                    r.need(len, "pixel data");
                    pixelData = new PixelData(vr, r.buf, r.pos, (int) len, null, null);
                    r.pos += (int) len;
                }
                return;
            }
            if (len == UNDEFINED) {
                if (vr.equals("SQ") || vr.equals("UN") || !explicit) {
                    // UN of undefined length holds implicit VR little endian items (PS3.5 6.2.2)
                    boolean itemsExplicit = explicit && !vr.equals("UN");
                    boolean saved = r.bigEndian;
                    if (vr.equals("UN")) r.bigEndian = false;
                    List<DicomDataset> items = sequence(r, itemsExplicit, UNDEFINED, depth + 1);
                    r.bigEndian = saved;
                    ds.put(new DicomElement(tag, "SQ", r.buf, at, 0, items));
                } else if (vr.equals("OB") || vr.equals("OW")) {
                    encapsulated(r, vr); // encapsulated pixel data of an icon or other nested image: skipped
                } else {
                    throw new BadFileException(name, "undefined length for " + vr + " element " + DicomElement.tagString(tag) + " at offset " + at);
                }
                return;
            }
            r.need(len, "element " + DicomElement.tagString(tag));
            if (vr.equals("SQ")) {
                ByteReader sub = new ByteReader(r.buf, r.pos, r.pos + (int) len, r.bigEndian);
                ds.put(new DicomElement(tag, vr, r.buf, at, 0, sequence(sub, explicit, len, depth + 1)));
            } else {
                ds.put(new DicomElement(tag, vr, r.buf, r.pos, (int) len, null));
            }
            r.pos += (int) len;
        }

        private List<DicomDataset> sequence(ByteReader r, boolean explicit, long len, int depth) throws IOException {
            if (depth > Limits.current().dicomDepth())
                throw new BadFileException(name, "sequences nested more than " + Limits.current().dicomDepth() + " deep (" + Limits.PREFIX + "dicomDepth)");
            List<DicomDataset> items = new ArrayList<>();
            while (len != UNDEFINED ? r.remaining() > 0 : true) {
                int at = r.pos;
                int tag = (r.u16() << 16) | r.u16();
                long ilen = r.u32();
                if (tag == SEQ_DELIM) {
                    if (len == UNDEFINED) break;
                    continue; // a stray delimiter inside a defined-length sequence
                }
                if (tag != ITEM) throw new BadFileException(name, "expected an item in a sequence at offset " + at + ", found " + DicomElement.tagString(tag));
                DicomDataset item = new DicomDataset(r.bigEndian);
                if (ilen == UNDEFINED) {
                    while (true) {
                        r.need(8, "item");
                        int peek = ((peek16(r, 0)) << 16) | peek16(r, 2);
                        if (peek == ITEM_DELIM) {
                            r.pos += 8;
                            break;
                        }
                        element(r, explicit, item, depth, false);
                    }
                } else {
                    r.need(ilen, "item");
                    ByteReader sub = new ByteReader(r.buf, r.pos, r.pos + (int) ilen, r.bigEndian);
                    while (sub.remaining() > 0) element(sub, explicit, item, depth, false);
                    r.pos += (int) ilen;
                }
                items.add(item);
            }
            return items;
        }

        private static int peek16(ByteReader r, int off) {
            int a = r.buf[r.pos + off] & 0xff, b = r.buf[r.pos + off + 1] & 0xff;
            return r.bigEndian ? (a << 8) | b : (b << 8) | a;
        }

        /** Encapsulated pixel data: the offset table item, then fragment items up to the sequence delimiter. */
        private PixelData encapsulated(ByteReader r, String vr) throws IOException {
            long[] offsets = null;
            List<PixelData.Fragment> fragments = new ArrayList<>();
            int first = -1;
            while (true) {
                int at = r.pos;
                int tag = (r.u16() << 16) | r.u16();
                long len = r.u32();
                if (tag == SEQ_DELIM) break;
                if (tag != ITEM) throw new BadFileException(name, "expected a pixel data item at offset " + at + ", found " + DicomElement.tagString(tag));
                if (len == UNDEFINED) throw new BadFileException(name, "pixel data item of undefined length at offset " + at);
                r.need(len, "pixel data fragment");
                if (offsets == null) {
                    if (len % 4 != 0) throw new BadFileException(name, "basic offset table length " + len + " is not a multiple of 4");
                    offsets = new long[(int) (len / 4)];
                    for (int i = 0; i < offsets.length; i++) offsets[i] = r.u32();
                } else {
                    if (first < 0) first = at;
                    fragments.add(new PixelData.Fragment(r.pos, (int) len, at - first));
                    r.pos += (int) len;
                }
            }
            if (offsets == null) throw new BadFileException(name, "encapsulated pixel data without items");
            return new PixelData(vr, r.buf, 0, 0, offsets, fragments);
        }

        private static boolean longLength(String vr) {
            return switch (vr) {
                case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV" -> true;
                default -> false;
            };
        }
    }
}
