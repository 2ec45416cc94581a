package org.medmamba.data.jpeg;

/**
 * Walks the marker segments of one JPEG stream, keeps the tables they define and hands each scan
 * to the decoder for the frame's process. Every length is checked against the data before use.
 */
final class JpegStreamParser {
    private final byte[] data;
    private int pos;
    private final int[][] quant = new int[4][];
    private final HuffmanTable[] dcTables = new HuffmanTable[4];
    private final HuffmanTable[] acTables = new HuffmanTable[4];
    private int restartInterval;
    private int adobeTransform = -1;
    private JpegFrame frame;
    private final DctScanDecoder dct = new DctScanDecoder();

    JpegStreamParser(byte[] data) {
        this.data = data;
    }

    /** Index of the next marker (0xFF followed by a byte that is neither 0x00 nor 0xFF) at or after `from`, or −1. */
    static int findMarker(byte[] data, int from) {
        for (int i = Math.max(from, 0); i + 1 < data.length; i++) {
            if (data[i] == (byte) 0xFF) {
                int m = data[i + 1] & 0xFF;
                if (m != 0 && m != 0xFF) return i;
            }
        }
        return -1;
    }

    JpegImage decode() throws JpegException {
        if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != JpegMarkers.SOI)
            throw new JpegException("not a JPEG stream: no SOI marker");
        pos = 2;
        while (true) {
            int at = findMarker(data, pos);
            if (at < 0) break; // ran out of data before EOI: finish() decides whether the image is complete
            int m = data[at + 1] & 0xFF;
            pos = at + 2;
            if (m == JpegMarkers.EOI) break;
            if (JpegMarkers.isRst(m)) continue; // stray restart marker between segments: nothing to do
            if (m == JpegMarkers.SOI) throw new JpegException("corrupt JPEG data: unexpected SOI marker");
            if (m < 0xC0 || m == JpegMarkers.DAC || m == JpegMarkers.DNL)
                throw new JpegException("unsupported or corrupt JPEG marker " + JpegMarkers.hex(m));
            int len = segmentLength();
            int segEnd = pos + len;
            switch (m) {
                case JpegMarkers.DQT -> readDqt(pos + 2, segEnd);
                case JpegMarkers.DHT -> readDht(pos + 2, segEnd);
                case JpegMarkers.DRI -> {
                    if (len < 4) throw new JpegException("corrupt JPEG data: short DRI segment");
                    restartInterval = u16(pos + 2);
                }
                case JpegMarkers.APP14 -> readAdobe(pos + 2, segEnd);
                case JpegMarkers.SOS -> {
                    readScanAndDecode(pos + 2, segEnd);
                    continue; // pos now points past the entropy-coded data
                }
                default -> {
                    if (JpegMarkers.isSof(m) || m == JpegMarkers.SOF55) readSof(m, pos + 2, segEnd);
                    // APPn, COM, JPGn and other length-prefixed segments are skipped
                }
            }
            pos = segEnd;
        }
        return finish();
    }

    private int u16(int at) {
        return ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
    }

    /** Length of the segment whose length field is at pos, checked to lie inside the data. */
    private int segmentLength() throws JpegException {
        if (pos + 2 > data.length) throw new JpegException("truncated JPEG data: marker segment cut off");
        int len = u16(pos);
        if (len < 2) throw new JpegException("corrupt JPEG data: marker segment length " + len);
        if (pos + len > data.length) throw new JpegException("truncated JPEG data: marker segment cut off");
        return len;
    }

    private void readDqt(int p, int end) throws JpegException {
        while (p < end) {
            int pq = (data[p] & 0xFF) >> 4, tq = data[p] & 0x0F;
            p++;
            if (pq > 1 || tq > 3) throw new JpegException("corrupt JPEG data: bad DQT table " + pq + "/" + tq);
            if (p + 64 * (pq + 1) > end) throw new JpegException("corrupt JPEG data: short DQT segment");
            int[] q = new int[64];
            for (int k = 0; k < 64; k++) {
                q[Zigzag.NATURAL[k]] = pq == 0 ? data[p] & 0xFF : u16(p);
                p += pq + 1;
            }
            quant[tq] = q;
        }
    }

    private void readDht(int p, int end) throws JpegException {
        while (p < end) {
            if (p + 17 > end) throw new JpegException("corrupt JPEG data: short DHT segment");
            int tc = (data[p] & 0xFF) >> 4, th = data[p] & 0x0F;
            if (tc > 1 || th > 3) throw new JpegException("corrupt JPEG data: bad DHT table " + tc + "/" + th);
            int[] counts = new int[16];
            int total = 0;
            for (int i = 0; i < 16; i++) total += counts[i] = data[p + 1 + i] & 0xFF;
            p += 17;
            if (total > 256 || p + total > end) throw new JpegException("corrupt JPEG data: bad DHT segment");
            byte[] values = java.util.Arrays.copyOfRange(data, p, p + total);
            p += total;
            (tc == 0 ? dcTables : acTables)[th] = new HuffmanTable(counts, values);
        }
    }

    private void readAdobe(int p, int end) {
        if (end - p >= 12 && data[p] == 'A' && data[p + 1] == 'd' && data[p + 2] == 'o'
                && data[p + 3] == 'b' && data[p + 4] == 'e')
            adobeTransform = data[p + 11] & 0xFF;
    }

    private void readSof(int m, int p, int end) throws JpegException {
        if (m != JpegMarkers.SOF0 && m != JpegMarkers.SOF1 && m != JpegMarkers.SOF2 && m != JpegMarkers.SOF3)
            throw new JpegException("unsupported JPEG process: " + JpegMarkers.sofName(m));
        if (frame != null) throw new JpegException("corrupt JPEG data: more than one frame header");
        if (end - p < 6) throw new JpegException("corrupt JPEG data: short SOF segment");
        int precision = data[p] & 0xFF, height = u16(p + 1), width = u16(p + 3), nf = data[p + 5] & 0xFF;
        boolean ok = switch (m) {
            case JpegMarkers.SOF0 -> precision == 8;
            case JpegMarkers.SOF3 -> precision >= 2 && precision <= 16;
            default -> precision == 8 || precision == 12;
        };
        if (!ok) throw new JpegException("unsupported JPEG precision " + precision + " for " + JpegMarkers.sofName(m));
        if (height == 0) throw new JpegException("unsupported JPEG: height defined by DNL marker");
        if (width == 0) throw new JpegException("corrupt JPEG data: width 0");
        if (nf == 0 || end - p < 6 + 3 * nf) throw new JpegException("corrupt JPEG data: bad SOF component count " + nf);
        JpegComponent[] comps = new JpegComponent[nf];
        for (int i = 0; i < nf; i++) {
            int q = p + 6 + 3 * i;
            int id = data[q] & 0xFF, h = (data[q + 1] & 0xFF) >> 4, v = data[q + 1] & 0x0F, tq = data[q + 2] & 0xFF;
            if (h < 1 || h > 4 || v < 1 || v > 4) throw new JpegException("corrupt JPEG data: bad sampling factors " + h + "x" + v);
            if (tq > 3) throw new JpegException("corrupt JPEG data: bad quantization table selector " + tq);
            for (int j = 0; j < i; j++)
                if (comps[j].id == id) throw new JpegException("corrupt JPEG data: duplicate component id " + id);
            comps[i] = new JpegComponent(id, h, v, tq);
        }
        JpegFrame f = new JpegFrame(m, precision, width, height, comps);
        // A complete image needs >= 1 bit per coded unit (a Huffman code), in practice 2 per block;
        // refuse declared sizes the remaining data cannot possibly hold before allocating them.
        long bitsAvailable = 8L * (data.length - end) + 8192;
        long bitsNeeded = f.minCodedUnits() * (f.lossless || f.progressive ? 1 : 2);
        if (bitsNeeded > bitsAvailable)
            throw new JpegException("truncated JPEG data: " + width + "x" + height + " image cannot fit in " + data.length + " bytes");
        f.allocate();
        frame = f;
    }

    private void readScanAndDecode(int p, int end) throws JpegException {
        if (frame == null) throw new JpegException("corrupt JPEG data: scan before frame header");
        if (end - p < 6) throw new JpegException("corrupt JPEG data: short SOS segment");
        int ns = data[p] & 0xFF;
        if (ns < 1 || ns > 4 || end - p != 4 + 2 * ns) throw new JpegException("corrupt JPEG data: bad SOS header");
        JpegComponent[] comps = new JpegComponent[ns];
        HuffmanTable[] dc = new HuffmanTable[ns], ac = new HuffmanTable[ns];
        int blocksPerMcu = 0;
        for (int i = 0; i < ns; i++) {
            int id = data[p + 1 + 2 * i] & 0xFF, td = (data[p + 2 + 2 * i] & 0xFF) >> 4, ta = data[p + 2 + 2 * i] & 0x0F;
            for (JpegComponent c : frame.components) if (c.id == id) comps[i] = c;
            if (comps[i] == null) throw new JpegException("corrupt JPEG data: scan names unknown component " + id);
            for (int j = 0; j < i; j++)
                if (comps[j] == comps[i]) throw new JpegException("corrupt JPEG data: component " + id + " twice in one scan");
            if (td > 3 || ta > 3) throw new JpegException("corrupt JPEG data: bad Huffman table selector");
            dc[i] = dcTables[td];
            ac[i] = acTables[ta];
            blocksPerMcu += comps[i].h * comps[i].v;
        }
        if (ns > 1 && blocksPerMcu > 10) throw new JpegException("corrupt JPEG data: more than 10 blocks per MCU");
        int q = p + 1 + 2 * ns;
        int ss = data[q] & 0xFF, se = data[q + 1] & 0xFF, ah = (data[q + 2] & 0xFF) >> 4, al = data[q + 2] & 0x0F;
        JpegScan scan = new JpegScan(comps, dc, ac, ss, se, ah, al);
        JpegBitReader reader = new JpegBitReader(data, end);
        if (frame.lossless) {
            for (HuffmanTable t : dc) if (t == null) throw new JpegException("corrupt JPEG data: missing Huffman table");
            if (ss < 1 || ss > 7) throw new JpegException("unsupported JPEG lossless predictor " + ss);
            if (al >= frame.precision) throw new JpegException("corrupt JPEG data: point transform " + al);
            LosslessScanDecoder.decode(reader, frame, scan, restartInterval);
        } else {
            for (JpegComponent c : comps) {
                if (quant[c.tq] == null) throw new JpegException("corrupt JPEG data: missing quantization table " + c.tq);
                if (c.quant == null) c.quant = quant[c.tq].clone(); // latched at the component's first scan, as libjpeg does
            }
            if (frame.progressive) {
                ProgressiveScanDecoder.decode(reader, frame, scan, restartInterval);
            } else {
                for (int i = 0; i < ns; i++)
                    if (dc[i] == null || ac[i] == null) throw new JpegException("corrupt JPEG data: missing Huffman table");
                dct.decode(reader, frame, scan, restartInterval);
            }
        }
        for (JpegComponent c : comps) c.coded = true;
        pos = reader.position();
    }

    private JpegImage finish() throws JpegException {
        if (frame == null) throw new JpegException("corrupt JPEG data: no frame header");
        for (JpegComponent c : frame.components)
            if (!c.coded) throw new JpegException("truncated JPEG data: component " + c.id + " has no scan");
        if (frame.progressive) ProgressiveScanDecoder.finish(frame);
        int[] samples = Upsampler.interleave(frame);
        return new JpegImage(frame.width, frame.height, frame.components.length, frame.precision,
                frame.lossless, adobeTransform, samples);
    }
}
