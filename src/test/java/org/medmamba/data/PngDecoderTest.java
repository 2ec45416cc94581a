package org.medmamba.data;

import org.medmamba.data.image.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The direct PNG decoder against ImageIO on every colour type and depth ImageIO writes. */
class PngDecoderTest {
    static BufferedImage random(int type, int w, int h, long seed) {
        BufferedImage img;
        if (type == -1) { // 4-entry palette, 2 bits per pixel
            byte[] r = {0, (byte) 200, 10, (byte) 255}, g = {0, 50, (byte) 220, (byte) 255}, b = {0, 20, 30, (byte) 128};
            img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(2, 4, r, g, b));
        } else {
            img = new BufferedImage(w, h, type);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        WritableRaster ras = img.getRaster();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int band = 0; band < ras.getNumBands(); band++) {
                    int bits = ras.getSampleModel().getSampleSize(band);
                    // smooth + noise so every PNG row filter gets chosen somewhere
                    int smooth = (int) ((x * 7 + y * 3 + band * 50) % (1 << Math.min(bits, 8))) << Math.max(0, bits - 8);
                    int v = rnd.nextInt(4) == 0 ? rnd.nextInt(1 << bits) : smooth;
                    ras.setSample(x, y, band, v);
                }
        return img;
    }

    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out));
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_3BYTE_BGR,
            BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_BYTE_BINARY, -1})
    void matchesImageIO(int type) throws IOException {
        byte[] bytes = png(random(type, 37, 23, type + 100));
        Image mine = PngDecoder.decode(bytes);
        Image ref = ImageFiles.fromBuffered(ImageIO.read(new ByteArrayInputStream(bytes)));
        if (type == BufferedImage.TYPE_BYTE_BINARY) { // a 1-bit gray PNG: ImageIO hands it back as an indexed RGB image
            assertEquals(1, mine.channels());
            mine = mine.toChannels(3);
        }
        assertEquals(ref.channels(), mine.channels());
        assertEquals(23, mine.height());
        assertEquals(37, mine.width());
        assertArrayEquals(ref.data(), mine.data(), 1e-6f);
    }

    @Test
    void sixteenBitRgbKeepsFullPrecision() throws IOException {
        // ImageIO's writer has no 16-bit RGB type: build one by hand with a custom raster
        var cs = java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB);
        var cm = new java.awt.image.ComponentColorModel(cs, false, false, java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_USHORT);
        WritableRaster ras = cm.createCompatibleWritableRaster(9, 5);
        for (int y = 0; y < 5; y++) for (int x = 0; x < 9; x++) for (int c = 0; c < 3; c++) ras.setSample(x, y, c, x * 7000 + y * 300 + c * 11);
        Image mine = PngDecoder.decode(png(new BufferedImage(cm, ras, false, null)));
        assertEquals(3, mine.channels());
        assertEquals((4 * 7000 + 2 * 300 + 11) / 65535f, mine.data()[45 + 2 * 9 + 4], 1e-7f);
    }

    @Test
    void corruptionGivesAClearError() throws IOException {
        byte[] good = png(random(BufferedImage.TYPE_3BYTE_BGR, 40, 40, 1));
        SplittableRandom r = new SplittableRandom(3);
        int errors = 0;
        for (int t = 0; t < 300; t++) {
            byte[] bad = good.clone();
            if (t % 3 == 0) bad = java.util.Arrays.copyOf(good, r.nextInt(good.length));
            else bad[8 + r.nextInt(good.length - 8)] ^= (byte) (1 << r.nextInt(8));
            try {
                PngDecoder.decode(bad);
            } catch (IllegalArgumentException e) {
                assertNotNull(e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
                errors++;
            }
        }
        assertTrue(errors > 250, "CRCs and length checks catch the damage: " + errors);
    }
}
