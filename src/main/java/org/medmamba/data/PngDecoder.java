package org.medmamba.data;

import org.medmamba.io.Limits;

import org.medmamba.data.image.Image;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A direct PNG decoder for the loader's hot path: inflate, unfilter and convert to planar floats in
 * one go, about three times faster than ImageIO's reader plus BufferedImage conversion. Handles
 * every non-interlaced PNG (gray, gray+alpha, RGB, RGBA, palette; 1–16 bits); interlaced files
 * return null so the caller falls back to ImageIO. Same channel semantics as
 * {@link ImageFiles#fromBuffered}: gray stays one channel, the rest becomes RGB; alpha is dropped.
 */
public final class PngDecoder {
    private static final long SIGNATURE = 0x89504E470D0A1A0AL;

    private PngDecoder() {}

    public static boolean isPng(byte[] b) {
        if (b.length < 8) return false;
        long sig = 0;
        for (int i = 0; i < 8; i++) sig = (sig << 8) | (b[i] & 0xff);
        return sig == SIGNATURE;
    }

    /** Decodes a PNG; null for interlaced images. Throws IllegalArgumentException saying what is wrong. */
    public static Image decode(byte[] b) {
        if (!isPng(b)) throw new IllegalArgumentException("not a PNG file");
        int pos = 8, width = 0, height = 0, depth = 0, colorType = -1, interlace = 0;
        byte[] palette = null;
        Inflater inf = new Inflater();
        byte[] raw = null;
        int rawFilled = 0;
        CRC32 crc = new CRC32();
        try {
            boolean end = false;
            while (!end) {
                if (pos + 8 > b.length) throw new IllegalArgumentException("truncated PNG (no IEND chunk)");
                int len = readInt(b, pos);
                int type = readInt(b, pos + 4);
                if (len < 0 || (long) pos + 12 + len > b.length) throw new IllegalArgumentException("truncated PNG chunk " + typeName(type));
                crc.reset();
                crc.update(b, pos + 4, 4 + len);
                if ((int) crc.getValue() != readInt(b, pos + 8 + len))
                    throw new IllegalArgumentException("corrupt PNG: CRC mismatch in chunk " + typeName(type));
                int data = pos + 8;
                switch (typeName(type)) {
                    case "IHDR" -> {
                        if (len != 13) throw new IllegalArgumentException("corrupt PNG: bad IHDR");
                        width = readInt(b, data);
                        height = readInt(b, data + 4);
                        depth = b[data + 8];
                        colorType = b[data + 9];
                        interlace = b[data + 12];
                        // checked before the raw buffer (or ImageIO, for interlaced files) is allocated
                        String tooBig = Limits.current().imageProblem(width, height, colorType == 0 || colorType == 4 ? 1 : 3);
                        if (tooBig != null) throw new IllegalArgumentException(tooBig);
                        if (interlace != 0) return null;
                        int ch = channels(colorType);
                        if (ch == 0 || !validDepth(colorType, depth))
                            throw new IllegalArgumentException("unsupported PNG colour type " + colorType + " with bit depth " + depth);
                        long rowBytes = 1 + ((long) width * ch * depth + 7) / 8;
                        raw = new byte[Math.toIntExact(rowBytes * height)];
                    }
                    case "PLTE" -> {
                        palette = new byte[len];
                        System.arraycopy(b, data, palette, 0, len);
                    }
                    case "IDAT" -> {
                        if (raw == null) throw new IllegalArgumentException("corrupt PNG: IDAT before IHDR");
                        inf.setInput(b, data, len);
                        while (!inf.needsInput() && !inf.finished() && rawFilled < raw.length) {
                            int k = inf.inflate(raw, rawFilled, raw.length - rawFilled);
                            if (k == 0 && !inf.needsInput() && !inf.finished())
                                throw new IllegalArgumentException("corrupt PNG image data (inflater stalled)");
                            rawFilled += k;
                        }
                    }
                    case "IEND" -> end = true;
                    default -> { }
                }
                pos += 12 + len;
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt PNG image data (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
        if (raw == null) throw new IllegalArgumentException("corrupt PNG: no IHDR chunk");
        if (rawFilled < raw.length) throw new IllegalArgumentException("truncated PNG image data");
        if (colorType == 3 && palette == null) throw new IllegalArgumentException("corrupt PNG: palette image without PLTE");
        int ch = channels(colorType), bpp = Math.max(1, ch * depth / 8), stride = (width * ch * depth + 7) / 8;
        unfilter(raw, height, stride, bpp);
        return toImage(raw, width, height, stride, colorType, depth, palette);
    }

    private static int channels(int colorType) {
        return switch (colorType) {
            case 0 -> 1;
            case 2 -> 3;
            case 3 -> 1;
            case 4 -> 2;
            case 6 -> 4;
            default -> 0;
        };
    }

    private static boolean validDepth(int colorType, int d) {
        return switch (colorType) {
            case 0 -> d == 1 || d == 2 || d == 4 || d == 8 || d == 16;
            case 3 -> d == 1 || d == 2 || d == 4 || d == 8;
            default -> d == 8 || d == 16;
        };
    }

    /** Reverses the per-row filters in place (PNG spec §9); row r's bytes start at r·(stride+1)+1. */
    private static void unfilter(byte[] raw, int height, int stride, int bpp) {
        for (int y = 0; y < height; y++) {
            int row = y * (stride + 1), cur = row + 1, prev = cur - (stride + 1);
            int filter = raw[row];
            boolean first = y == 0;
            switch (filter) {
                case 0 -> { }
                case 1 -> {
                    for (int i = bpp; i < stride; i++) raw[cur + i] += raw[cur + i - bpp];
                }
                case 2 -> {
                    if (!first) for (int i = 0; i < stride; i++) raw[cur + i] += raw[prev + i];
                }
                case 3 -> {
                    for (int i = 0; i < stride; i++) {
                        int left = i >= bpp ? raw[cur + i - bpp] & 0xff : 0, up = first ? 0 : raw[prev + i] & 0xff;
                        raw[cur + i] += (byte) ((left + up) >>> 1);
                    }
                }
                case 4 -> {
                    for (int i = 0; i < stride; i++) {
                        int a = i >= bpp ? raw[cur + i - bpp] & 0xff : 0;
                        int bb = first ? 0 : raw[prev + i] & 0xff;
                        int c = i >= bpp && !first ? raw[prev + i - bpp] & 0xff : 0;
                        int p = a + bb - c, pa = Math.abs(p - a), pb = Math.abs(p - bb), pc = Math.abs(p - c);
                        raw[cur + i] += (byte) (pa <= pb && pa <= pc ? a : (pb <= pc ? bb : c));
                    }
                }
                default -> throw new IllegalArgumentException("corrupt PNG: unknown row filter " + filter + " in row " + y);
            }
        }
    }

    private static Image toImage(byte[] raw, int w, int h, int stride, int colorType, int depth, byte[] palette) {
        int n = w * h;
        if (colorType == 0 || colorType == 4) { // gray (+ alpha, dropped)
            float[] d = new float[n];
            int ch = colorType == 0 ? 1 : 2;
            if (depth == 8) {
                for (int y = 0; y < h; y++) {
                    int r = y * (stride + 1) + 1;
                    for (int x = 0; x < w; x++) d[y * w + x] = (raw[r + x * ch] & 0xff) / 255f;
                }
            } else if (depth == 16) {
                for (int y = 0; y < h; y++) {
                    int r = y * (stride + 1) + 1;
                    for (int x = 0; x < w; x++) d[y * w + x] = (((raw[r + 2 * x * ch] & 0xff) << 8) | (raw[r + 2 * x * ch + 1] & 0xff)) / 65535f;
                }
            } else {
                float scale = 1f / ((1 << depth) - 1);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) d[y * w + x] = packed(raw, y * (stride + 1) + 1, x, depth) * scale;
            }
            return new Image(1, h, w, d);
        }
        float[] d = new float[3 * n];
        if (colorType == 3) {
            int entries = palette.length / 3;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int idx = depth == 8 ? raw[y * (stride + 1) + 1 + x] & 0xff : packed(raw, y * (stride + 1) + 1, x, depth);
                    if (idx >= entries) throw new IllegalArgumentException("corrupt PNG: palette index " + idx + " >= " + entries);
                    int o = y * w + x;
                    d[o] = (palette[3 * idx] & 0xff) / 255f;
                    d[n + o] = (palette[3 * idx + 1] & 0xff) / 255f;
                    d[2 * n + o] = (palette[3 * idx + 2] & 0xff) / 255f;
                }
            return new Image(3, h, w, d);
        }
        int ch = colorType == 2 ? 3 : 4;
        for (int y = 0; y < h; y++) {
            int r = y * (stride + 1) + 1, o = y * w;
            if (depth == 8) {
                for (int x = 0; x < w; x++, r += ch) {
                    d[o + x] = (raw[r] & 0xff) / 255f;
                    d[n + o + x] = (raw[r + 1] & 0xff) / 255f;
                    d[2 * n + o + x] = (raw[r + 2] & 0xff) / 255f;
                }
            } else {
                for (int x = 0; x < w; x++, r += 2 * ch)
                    for (int c = 0; c < 3; c++)
                        d[c * n + o + x] = (((raw[r + 2 * c] & 0xff) << 8) | (raw[r + 2 * c + 1] & 0xff)) / 65535f;
            }
        }
        return new Image(3, h, w, d);
    }

    private static int packed(byte[] raw, int rowStart, int x, int depth) {
        int bit = x * depth, v = raw[rowStart + (bit >>> 3)] & 0xff;
        return (v >>> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    }

    private static int readInt(byte[] b, int p) {
        return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    private static String typeName(int t) {
        return new String(new char[]{(char) ((t >>> 24) & 0xff), (char) ((t >>> 16) & 0xff), (char) ((t >>> 8) & 0xff), (char) (t & 0xff)});
    }
}
