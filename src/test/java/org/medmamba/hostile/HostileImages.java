package org.medmamba.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes small image files whose headers declare huge pixel counts (decompression bombs and
 * liars), plus a sparse file larger than any array. Each is a few hundred bytes on disk: a decoder
 * that allocates before checking the header runs out of memory on them.
 * <p>Run {@code main(DIR)} to write the corpus by hand; the tests call {@link #write(Path)}.
 */
public final class HostileImages {
    private HostileImages() {}

    /** File name → what the one-line error must contain. */
    public static Map<String, String> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> cases = new LinkedHashMap<>();
        Files.write(dir.resolve("bomb-16384.png"), png(16384, 16384, 2, deflatedZeros(1 << 20)));
        cases.put("bomb-16384.png", "would decode to 3.0 GiB, more than the limit of 1.0 GiB");
        Files.write(dir.resolve("side-100000.png"), png(100_000, 1, 0, deflatedZeros(1000)));
        cases.put("side-100000.png", "larger than the limit of 65536 per side");
        Files.write(dir.resolve("interlaced-30000.png"), pngInterlaced(30000, 30000));
        cases.put("interlaced-30000.png", "more than the limit of 1.0 GiB");
        Files.write(dir.resolve("bmp-20000.bmp"), bmp(20000, 20000));
        cases.put("bmp-20000.bmp", "image of 20000x20000x1 would decode to 1.5 GiB");
        Files.write(dir.resolve("gif-65535.gif"), gif(65535, 65535));
        cases.put("gif-65535.gif", "more than the limit of 1.0 GiB");
        Files.write(dir.resolve("tiff-60000.tif"), tiff(60000, 60000));
        cases.put("tiff-60000.tif", "more than the limit of 1.0 GiB");
        Files.write(dir.resolve("jpeg-65000.jpg"), jpeg(65000, 65000));
        cases.put("jpeg-65000.jpg", "more than the limit of 1.0 GiB");
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("sparse-3g.png").toFile(), "rw")) {
            f.write(png(8, 8, 0, deflatedZeros(72)));
            f.setLength(3L << 30);   // a hole: 3 GiB logical, nothing on disk
        }
        cases.put("sparse-3g.png", "file of 3.0 GiB is larger than the limit of 1.0 GiB");
        return cases;
    }

    public static void main(String[] args) throws IOException {
        write(Path.of(args.length > 0 ? args[0] : "hostile-images")).forEach((f, why) -> System.out.println(f + "\t" + why));
    }

    // ------------------------------------------------------------------ PNG

    static byte[] png(int w, int h, int colorType, byte[] idat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static byte[] pngInterlaced(int w, int h) {
        byte[] b = png(w, h, 0, deflatedZeros(4096));
        b[8 + 8 + 12] = 1;   // IHDR interlace method: Adam7 (our decoder hands it to ImageIO)
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17);
        ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
        return b;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        ByteBuffer len = ByteBuffer.allocate(4).putInt(data.length);
        out.writeBytes(len.array());
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static byte[] deflatedZeros(int n) {
        Deflater d = new Deflater(9);
        d.setInput(new byte[n]);
        d.finish();
        byte[] buf = new byte[n + 64];
        int len = d.deflate(buf);
        d.end();
        return java.util.Arrays.copyOf(buf, len);
    }

    // ------------------------------------------------------------------ BMP, GIF, TIFF, JPEG headers

    /** An 8-bit RLE-compressed BMP: 2 palette entries, then one end-of-bitmap code; RLE makes the tiny file legal. */
    static byte[] bmp(int w, int h) {
        int offset = 14 + 40 + 8;
        ByteBuffer b = ByteBuffer.allocate(offset + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(offset + 2).putInt(0).putInt(offset);
        b.putInt(40).putInt(w).putInt(h).putShort((short) 1).putShort((short) 8).putInt(1).putInt(2).putInt(2835).putInt(2835).putInt(2).putInt(0);
        b.putInt(0).putInt(0x00ffffff);
        b.put((byte) 0).put((byte) 1);   // RLE8 end of bitmap
        return b.array();
    }

    static byte[] gif(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putShort((short) w).putShort((short) h).put((byte) 0).put((byte) 0).put((byte) 0);
        b.put((byte) 0x2c).putShort((short) 0).putShort((short) 0).putShort((short) w).putShort((short) h).put((byte) 0);
        b.put((byte) 2).put((byte) 2).put((byte) 0x4c).put((byte) 0x01).put((byte) 0).put((byte) 0x3b);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static byte[] tiff(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 9 * 12 + 4 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) 9);
        entry(b, 256, 4, w);          // ImageWidth
        entry(b, 257, 4, h);          // ImageLength
        entry(b, 258, 3, 8);          // BitsPerSample
        entry(b, 259, 3, 1);          // no compression
        entry(b, 262, 3, 1);          // BlackIsZero
        entry(b, 273, 4, 8 + 2 + 9 * 12 + 4);   // StripOffsets
        entry(b, 277, 3, 1);          // SamplesPerPixel
        entry(b, 278, 4, h);          // RowsPerStrip
        entry(b, 279, 4, 16);         // StripByteCounts (a lie)
        b.putInt(0);
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) b.putShort((short) value).putShort((short) 0);
        else b.putInt(value);
    }

    static byte[] jpeg(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0xFF, (byte) 0xD8});
        out.writeBytes(new byte[]{(byte) 0xFF, (byte) 0xC0, 0, 17, 8, (byte) (h >> 8), (byte) h, (byte) (w >> 8), (byte) w, 3,
                1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0});
        out.writeBytes(new byte[]{(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }
}
