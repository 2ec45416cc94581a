package org.medmamba.data.jpeg;

/**
 * JPEG-LS (ITU T.87, SOF55) decoder: lossless and near-lossless, any number of components coded
 * one per scan (ILV=0) or line-interleaved (ILV=1), LSE preset coding parameters. Not supported:
 * sample interleaving (ILV=2), mapping tables, restart intervals, point transform.
 */
public final class JpegLsDecoder {
    private JpegLsDecoder() {}

    /** True when the first frame header of the stream is SOF55. Reads headers only. */
    public static boolean isJpegLs(byte[] data) {
        if (data == null || data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != JpegMarkers.SOI) return false;
        int p = 2;
        while (p + 4 <= data.length && (data[p] & 0xFF) == 0xFF) {
            int m = data[p + 1] & 0xFF;
            if (m == 0xFF) { p++; continue; }
            if (m == JpegMarkers.SOF55) return true;
            if (JpegMarkers.isSof(m) || m == JpegMarkers.SOS || m == JpegMarkers.EOI) return false;
            p += 2 + (((data[p + 2] & 0xFF) << 8) | (data[p + 3] & 0xFF));
        }
        return false;
    }

    /** Decodes one complete JPEG-LS bitstream. */
    public static JpegImage decode(byte[] data) throws JpegException {
        if (data == null) throw new JpegException("no JPEG-LS data");
        try {
            return new JpegLsDecoder.Parser(data).decode();
        } catch (JpegException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JpegException("corrupt JPEG-LS data: " + e.getClass().getSimpleName());
        } catch (OutOfMemoryError e) {
            throw new JpegException("JPEG-LS image too large: out of memory");
        }
    }

    private static final class Parser {
        final byte[] data;
        int pos;
        int precision, width, height;
        int[] ids;
        int[][] planes;
        boolean[] coded;
        int maxVal, t1, t2, t3, reset;
        boolean nearLossless;

        Parser(byte[] data) {
            this.data = data;
        }

        int u16(int at) {
            return ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
        }

        JpegImage decode() throws JpegException {
            if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != JpegMarkers.SOI)
                throw new JpegException("not a JPEG stream: no SOI marker");
            pos = 2;
            while (true) {
                int at = JpegStreamParser.findMarker(data, pos);
                if (at < 0) break;
                int m = data[at + 1] & 0xFF;
                pos = at + 2;
                if (m == JpegMarkers.EOI) break;
                if (JpegMarkers.isRst(m)) continue;
                if (m == JpegMarkers.SOI || m < 0xC0) throw new JpegException("corrupt JPEG-LS data: unexpected marker " + JpegMarkers.hex(m));
                if (pos + 2 > data.length) throw new JpegException("truncated JPEG-LS data: marker segment cut off");
                int len = u16(pos);
                if (len < 2 || pos + len > data.length) throw new JpegException("truncated JPEG-LS data: marker segment cut off");
                int p = pos + 2, end = pos + len;
                switch (m) {
                    case JpegMarkers.SOF55 -> readSof(p, end);
                    case JpegMarkers.LSE -> readLse(p, end);
                    case JpegMarkers.DRI -> {
                        if (len >= 4 && u16(p) != 0) throw new JpegException("unsupported JPEG-LS: restart intervals");
                    }
                    case JpegMarkers.SOS -> {
                        pos = decodeScan(p, end);
                        continue;
                    }
                    default -> {
                        if (JpegMarkers.isSof(m)) throw new JpegException("corrupt JPEG-LS data: mixed frame types");
                    }
                }
                pos = end;
            }
            if (planes == null) throw new JpegException("corrupt JPEG-LS data: no frame header");
            for (int i = 0; i < ids.length; i++)
                if (!coded[i]) throw new JpegException("truncated JPEG-LS data: component " + ids[i] + " has no scan");
            int nc = ids.length;
            int[] out = new int[width * height * nc];
            for (int i = 0; i < nc; i++) {
                int[] pl = planes[i];
                for (int s = 0, o = i; s < pl.length; s++, o += nc) out[o] = pl[s];
            }
            return new JpegImage(width, height, nc, precision, !nearLossless, -1, out);
        }

        void readSof(int p, int end) throws JpegException {
            if (planes != null) throw new JpegException("corrupt JPEG-LS data: more than one frame header");
            if (end - p < 6) throw new JpegException("corrupt JPEG-LS data: short SOF55 segment");
            precision = data[p] & 0xFF;
            height = u16(p + 1);
            width = u16(p + 3);
            int nf = data[p + 5] & 0xFF;
            if (precision < 2 || precision > 16) throw new JpegException("unsupported JPEG-LS precision " + precision);
            if (height == 0 || width == 0) throw new JpegException("unsupported JPEG-LS: zero image dimension");
            if (nf == 0 || end - p < 6 + 3 * nf) throw new JpegException("corrupt JPEG-LS data: bad component count " + nf);
            String tooBig = org.medmamba.io.Limits.current().imageProblem(width, height, nf);
            if (tooBig != null) throw new JpegException(tooBig);
            // every line of every component costs at least one bit (a run reaching the line end, or a
            // coded sample): refuse sizes the remaining data cannot hold before allocating
            if ((long) height * nf > 8L * (data.length - end) + 512)
                throw new JpegException("truncated JPEG-LS data: " + width + "x" + height + " image cannot fit in " + data.length + " bytes");
            ids = new int[nf];
            for (int i = 0; i < nf; i++) {
                ids[i] = data[p + 6 + 3 * i] & 0xFF;
                if ((data[p + 7 + 3 * i] & 0xFF) != 0x11) throw new JpegException("unsupported JPEG-LS: subsampled components");
            }
            planes = new int[nf][width * height];
            coded = new boolean[nf];
        }

        void readLse(int p, int end) throws JpegException {
            if (end - p < 1) throw new JpegException("corrupt JPEG-LS data: short LSE segment");
            int id = data[p] & 0xFF;
            if (id != 1) throw new JpegException("unsupported JPEG-LS: LSE parameters of type " + id + " (mapping tables / extensions)");
            if (end - p < 11) throw new JpegException("corrupt JPEG-LS data: short LSE segment");
            maxVal = u16(p + 1);
            t1 = u16(p + 3);
            t2 = u16(p + 5);
            t3 = u16(p + 7);
            reset = u16(p + 9);
        }

        int decodeScan(int p, int end) throws JpegException {
            if (planes == null) throw new JpegException("corrupt JPEG-LS data: scan before frame header");
            if (end - p < 6) throw new JpegException("corrupt JPEG-LS data: short SOS segment");
            int ns = data[p] & 0xFF;
            if (ns < 1 || ns > 4 || end - p != 4 + 2 * ns) throw new JpegException("corrupt JPEG-LS data: bad SOS header");
            int[][] scanPlanes = new int[ns][];
            int[] idx = new int[ns];
            for (int i = 0; i < ns; i++) {
                int id = data[p + 1 + 2 * i] & 0xFF;
                idx[i] = -1;
                for (int j = 0; j < ids.length; j++) if (ids[j] == id) idx[i] = j;
                if (idx[i] < 0) throw new JpegException("corrupt JPEG-LS data: scan names unknown component " + id);
                if (data[p + 2 + 2 * i] != 0) throw new JpegException("unsupported JPEG-LS: mapping tables");
                scanPlanes[i] = planes[idx[i]];
            }
            int q = p + 1 + 2 * ns;
            int near = data[q] & 0xFF, ilv = data[q + 1] & 0xFF, pt = data[q + 2] & 0x0F;
            if (pt != 0) throw new JpegException("unsupported JPEG-LS: point transform " + pt);
            if (ilv > 2 || (ilv == 0 && ns != 1)) throw new JpegException("corrupt JPEG-LS data: interleave mode " + ilv + " with " + ns + " components");
            if (ilv == 2 && ns > 1) throw new JpegException("unsupported JPEG-LS: sample-interleaved scans (ILV=2)");
            JpegLsParameters params = JpegLsParameters.resolve(precision, near, maxVal, t1, t2, t3, reset);
            if (near > Math.min(255, params.maxVal() / 2)) throw new JpegException("corrupt JPEG-LS data: NEAR " + near);
            if (near > 0) nearLossless = true;
            JpegLsBitReader reader = new JpegLsBitReader(data, end);
            new JpegLsScanDecoder(reader, params, near).decode(scanPlanes, width, height);
            for (int i : idx) coded[i] = true;
            return reader.position();
        }
    }
}
