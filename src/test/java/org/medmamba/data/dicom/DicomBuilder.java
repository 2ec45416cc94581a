package org.medmamba.data.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/** Writes small DICOM Part-10 files for tests: preamble, meta group, then elements in the order added. */
final class DicomBuilder {
    final String ts;
    final boolean explicit, bigEndian, deflated;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    DicomBuilder(String ts) {
        this.ts = ts;
        TransferSyntax t = TransferSyntax.of(ts);
        explicit = t.explicitVr();
        bigEndian = t.bigEndian();
        deflated = t.deflated();
    }

    static DicomBuilder explicitLe() {
        return new DicomBuilder(TransferSyntax.EXPLICIT_LE);
    }

    DicomBuilder str(int tag, String vr, String v) {
        byte[] b = v.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length % 2 == 1) b = (v + (vr.equals("UI") ? "\0" : " ")).getBytes(StandardCharsets.ISO_8859_1);
        return raw(tag, vr, b);
    }

    DicomBuilder us(int tag, int... v) {
        byte[] b = new byte[2 * v.length];
        for (int i = 0; i < v.length; i++) put16(b, 2 * i, v[i]);
        return raw(tag, "US", b);
    }

    DicomBuilder image(int rows, int cols, int spp, String photometric, int bitsAllocated, int bitsStored, int pixelRep) {
        us(DicomDictionary.SAMPLES_PER_PIXEL, spp);
        str(DicomDictionary.PHOTOMETRIC, "CS", photometric);
        us(DicomDictionary.ROWS, rows);
        us(DicomDictionary.COLUMNS, cols);
        us(DicomDictionary.BITS_ALLOCATED, bitsAllocated);
        us(DicomDictionary.BITS_STORED, bitsStored);
        us(DicomDictionary.HIGH_BIT, bitsStored - 1);
        return us(DicomDictionary.PIXEL_REPRESENTATION, pixelRep);
    }

    DicomBuilder pixels8(int... v) {
        byte[] b = new byte[v.length + (v.length & 1)];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return raw(DicomDictionary.PIXEL_DATA, "OB", b);
    }

    DicomBuilder pixels16(int... v) {
        byte[] b = new byte[2 * v.length];
        for (int i = 0; i < v.length; i++) put16(b, 2 * i, v[i]);
        return raw(DicomDictionary.PIXEL_DATA, "OW", b);
    }

    /** Encapsulated pixel data: an offset table (may be empty) and fragments. */
    DicomBuilder encapsulated(long[] offsets, byte[]... fragments) {
        header(DicomDictionary.PIXEL_DATA, "OB", 0xFFFFFFFFL);
        byte[] bot = new byte[4 * offsets.length];
        for (int i = 0; i < offsets.length; i++) put32le(bot, 4 * i, offsets[i]);
        item(bot);
        for (byte[] f : fragments) item(f);
        tagLe(DicomReader.SEQ_DELIM);
        body.writeBytes(new byte[4]);
        return this;
    }

    private void item(byte[] v) {
        tagLe(DicomReader.ITEM);
        byte[] l = new byte[4];
        put32le(l, 0, v.length);
        body.writeBytes(l);
        body.writeBytes(v);
    }

    private void tagLe(int tag) {
        byte[] b = new byte[4];
        b[0] = (byte) (tag >>> 16);
        b[1] = (byte) (tag >>> 24);
        b[2] = (byte) tag;
        b[3] = (byte) (tag >>> 8);
        body.writeBytes(b);
    }

    /** An undefined-length sequence with one undefined-length item holding the given element bytes. */
    DicomBuilder sequence(int tag, byte[] itemContent) {
        header(tag, "SQ", 0xFFFFFFFFL);
        w16(0xFFFE);
        w16(0xE000);
        w32(0xFFFFFFFFL);
        body.writeBytes(itemContent);
        w16(0xFFFE);
        w16(0xE00D);
        w32(0);
        w16(0xFFFE);
        w16(0xE0DD);
        w32(0);
        return this;
    }

    DicomBuilder raw(int tag, String vr, byte[] v) {
        header(tag, vr, v.length);
        body.writeBytes(v);
        return this;
    }

    private void header(int tag, String vr, long len) {
        w16(tag >>> 16);
        w16(tag & 0xffff);
        if (!explicit) {
            w32(len);
            return;
        }
        body.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        if (switch (vr) { case "OB", "OW", "SQ", "UN", "UT", "OF" -> true; default -> false; }) {
            w16(0);
            w32(len);
        } else {
            w16((int) len);
        }
    }

    private void w16(int v) {
        byte[] b = new byte[2];
        put16(b, 0, v);
        body.writeBytes(b);
    }

    private void w32(long v) {
        byte[] b = new byte[4];
        if (bigEndian) for (int i = 0; i < 4; i++) b[i] = (byte) (v >>> (24 - 8 * i));
        else put32le(b, 0, v);
        body.writeBytes(b);
    }

    void put16(byte[] b, int p, int v) {
        if (bigEndian) {
            b[p] = (byte) (v >>> 8);
            b[p + 1] = (byte) v;
        } else {
            b[p] = (byte) v;
            b[p + 1] = (byte) (v >>> 8);
        }
    }

    static void put32le(byte[] b, int p, long v) {
        for (int i = 0; i < 4; i++) b[p + i] = (byte) (v >>> (8 * i));
    }

    /** The element bytes written so far (for nesting in sequences). */
    byte[] elements() {
        return body.toByteArray();
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        DicomBuilder meta = explicitLe();
        meta.raw(0x00020001, "OB", new byte[]{0, 1});
        meta.str(DicomDictionary.TRANSFER_SYNTAX_UID, "UI", ts);
        out.writeBytes(meta.elements());
        byte[] ds = body.toByteArray();
        if (deflated) {
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            d.setInput(ds);
            d.finish();
            byte[] buf = new byte[ds.length + 1024];
            int n = d.deflate(buf);
            d.end();
            out.write(buf, 0, n);
        } else {
            out.writeBytes(ds);
        }
        return out.toByteArray();
    }

    /** RLE Lossless frame for 8-bit samples, one segment per sample, literal runs only. */
    static byte[] rleFrame(int[][] planes) {
        ByteArrayOutputStream segs = new ByteArrayOutputStream();
        byte[] header = new byte[64];
        put32le(header, 0, planes.length);
        for (int s = 0; s < planes.length; s++) {
            put32le(header, 4 + 4 * s, 64 + segs.size());
            int[] p = planes[s];
            for (int i = 0; i < p.length; i += 128) {
                int n = Math.min(128, p.length - i);
                segs.write(n - 1);
                for (int j = 0; j < n; j++) segs.write(p[i + j]);
            }
            if (segs.size() % 2 == 1) segs.write(0x80); // no-op pad
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(segs.toByteArray());
        return out.toByteArray();
    }
}
