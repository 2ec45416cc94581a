package org.medmamba.data.dicom;

import org.junit.jupiter.api.Test;
import org.medmamba.data.image.Image;
import org.medmamba.io.BadFileException;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.medmamba.data.dicom.DicomDictionary.*;

/** Syntaxes, pixel layouts, photometric conversion, windowing and rescale on small synthetic files. */
class DicomPixelTest {
    static final Path NAME = Path.of("synthetic.dcm");

    static PixelDecoder open(byte[] b) throws IOException {
        return DicomImages.open(NAME, b);
    }

    static Image image(byte[] b) throws IOException {
        return DicomImages.frame(open(b), 0);
    }

    @Test
    void monochrome1IsInvertedAfterMinMaxScaling() throws IOException {
        byte[] f = DicomBuilder.explicitLe().image(2, 2, 1, "MONOCHROME1", 8, 8, 0).pixels8(0, 50, 100, 200).build();
        assertArrayEquals(new float[]{1f, 0.75f, 0.5f, 0f}, image(f).data(), 1e-6f);
    }

    @Test
    void windowFollowsTheLinearFunctionOfPs33() {
        Window w = new Window(100, 101); // edges at 49.5 and 149.5
        assertEquals(0f, w.apply(49.5), 0);
        assertEquals(0.005f, w.apply(50), 1e-6);
        assertEquals(0.5f, w.apply(99.5), 1e-6);
        assertEquals(0.995f, w.apply(149), 1e-6);
        assertEquals(1f, w.apply(149.6), 0);
        Window one = new Window(10, 1); // a threshold at 9.5
        assertEquals(0f, one.apply(9.5), 0);
        assertEquals(1f, one.apply(9.6), 0);
        assertThrows(IllegalArgumentException.class, () -> new Window(0, 0.5));
    }

    @Test
    void rescaleIsAppliedBeforeTheFirstWindowAndMonochrome1InvertsAfterIt() throws IOException {
        DicomBuilder b = DicomBuilder.explicitLe().image(1, 3, 1, "MONOCHROME2", 16, 12, 1);
        b.str(WINDOW_CENTER, "DS", "0\\500").str(WINDOW_WIDTH, "DS", "201\\1000");
        b.str(RESCALE_INTERCEPT, "DS", "-100").str(RESCALE_SLOPE, "DS", "2");
        // stored 50 → 0 (centre), −10 → −120 (below), 100 → 100 (above)
        byte[] f = b.pixels16(50, 0x0FF6, 100).build();
        assertArrayEquals(new float[]{0.5025f, 0f, 1f}, image(f).data(), 1e-5f);
        DicomBuilder m1 = DicomBuilder.explicitLe().image(1, 3, 1, "MONOCHROME1", 16, 12, 1);
        m1.str(WINDOW_CENTER, "DS", "0").str(WINDOW_WIDTH, "DS", "201").str(RESCALE_INTERCEPT, "DS", "-100").str(RESCALE_SLOPE, "DS", "2");
        assertArrayEquals(new float[]{0.4975f, 1f, 0f}, image(m1.pixels16(50, 0x0FF6, 100).build()).data(), 1e-5f);
    }

    @Test
    void bitsStoredMasksAndSignExtends() throws IOException {
        byte[] f = DicomBuilder.explicitLe().image(1, 4, 1, "MONOCHROME2", 16, 12, 1).pixels16(0x0FFF, 0xF7FF, 0x0800, 5).build();
        assertArrayEquals(new int[]{-1, 2047, -2048, 5}, open(f).frame(0));
        byte[] u = DicomBuilder.explicitLe().image(1, 2, 1, "MONOCHROME2", 16, 12, 0).pixels16(0xF123, 0x0FFF).build();
        assertArrayEquals(new int[]{0x123, 0xFFF}, open(u).frame(0));
    }

    @Test
    void planarConfigurationOneIsInterleaved() throws IOException {
        DicomBuilder b = DicomBuilder.explicitLe().image(1, 2, 3, "RGB", 8, 8, 0);
        b.us(PLANAR_CONFIGURATION, 1);
        byte[] f = b.pixels8(10, 20, 30, 40, 50, 60).build();
        assertArrayEquals(new int[]{10, 30, 50, 20, 40, 60}, open(f).frame(0));
        Image img = image(f);
        assertEquals(3, img.channels());
        assertArrayEquals(new float[]{10 / 255f, 20 / 255f, 30 / 255f, 40 / 255f, 50 / 255f, 60 / 255f}, img.data(), 1e-6f);
    }

    @Test
    void ybrFullConvertsToRgbWithBt601FullRange() throws IOException {
        byte[] f = DicomBuilder.explicitLe().image(1, 2, 3, "YBR_FULL", 8, 8, 0).pixels8(128, 128, 128, 76, 85, 255).build();
        float[] d = image(f).data(); // planar: R0 R1 G0 G1 B0 B1
        assertArrayEquals(new float[]{128 / 255f, 254.054f / 255, 128 / 255f, 0.1003f / 255, 128 / 255f, 0f}, d, 1e-3f);
    }

    @Test
    void ybrFull422SharesChromaBetweenPixelPairs() throws IOException {
        byte[] f = DicomBuilder.explicitLe().image(1, 2, 3, "YBR_FULL_422", 8, 8, 0).pixels8(100, 200, 128, 128).build();
        assertArrayEquals(new int[]{100, 128, 128, 200, 128, 128}, open(f).frame(0));
    }

    @Test
    void paletteColourMapsThroughTheLookupTables() throws IOException {
        DicomBuilder b = DicomBuilder.explicitLe().image(1, 4, 1, "PALETTE COLOR", 8, 8, 0);
        b.us(RED_DESCRIPTOR, 3, 1, 16).us(GREEN_DESCRIPTOR, 3, 1, 16).us(BLUE_DESCRIPTOR, 3, 1, 16);
        b.raw(RED_DATA, "OW", words(b, 0, 65535, 0)).raw(GREEN_DATA, "OW", words(b, 0, 0, 65535)).raw(BLUE_DATA, "OW", words(b, 65535, 0, 0));
        // index 0 is below the first mapped value (1): clamped to the first entry; 9 above: the last
        float[] d = image(b.pixels8(0, 2, 3, 9).build()).data();
        assertArrayEquals(new float[]{0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0}, d, 1e-6f);
    }

    private static byte[] words(DicomBuilder b, int... v) {
        byte[] out = new byte[2 * v.length];
        for (int i = 0; i < v.length; i++) b.put16(out, 2 * i, v[i]);
        return out;
    }

    @Test
    void oneBitFramesArePackedLeastSignificantBitFirstAcrossFrames() throws IOException {
        DicomBuilder b = DicomBuilder.explicitLe().image(1, 3, 1, "MONOCHROME2", 1, 1, 0);
        b.str(NUMBER_OF_FRAMES, "IS", "3");
        // 9 bits: frame0 = 1 0 1, frame1 = 1 0 0, frame2 = 0 1 1 → 0b1000_1101, 0b1
        PixelDecoder d = open(b.pixels8(0b1000_1101, 0b1).build());
        assertArrayEquals(new int[]{1, 0, 1}, d.frame(0));
        assertArrayEquals(new int[]{1, 0, 0}, d.frame(1));
        assertArrayEquals(new int[]{0, 1, 1}, d.frame(2));
    }

    @Test
    void bigEndianImplicitAndDeflatedSyntaxesReadTheSameValues() throws IOException {
        for (String ts : new String[]{"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99"}) {
            DicomBuilder b = new DicomBuilder(ts);
            DicomBuilder inner = new DicomBuilder(ts).str(0x00081150, "UI", "1.2.3").str(MODALITY, "CS", "XX");
            b.str(MODALITY, "CS", "MR").sequence(0x00081140, inner.elements()).sequence(0x00091010, inner.elements());
            b.image(2, 2, 1, "MONOCHROME2", 16, 16, 0).pixels16(1, 300, 65535, 4);
            DicomFile f = DicomReader.read(NAME, b.build());
            assertEquals("MR", f.dataset().string(MODALITY), ts);
            assertEquals("XX", f.dataset().get(0x00081140).items().get(0).string(MODALITY), ts);
            assertArrayEquals(new int[]{1, 300, 65535, 4}, new PixelDecoder(f).frame(0), ts);
        }
    }

    @Test
    void rleFramesFromOffsetTableOrOneFragmentPerFrame() throws IOException {
        int[][] f0 = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}}, f1 = {{13, 14, 15, 16}, {17, 18, 19, 20}, {21, 22, 23, 24}};
        byte[] a = DicomBuilder.rleFrame(f0), c = DicomBuilder.rleFrame(f1);
        for (long[] bot : new long[][]{{}, {0, 8 + a.length}}) {
            DicomBuilder b = new DicomBuilder("1.2.840.10008.1.2.5").image(2, 2, 3, "RGB", 8, 8, 0);
            b.str(NUMBER_OF_FRAMES, "IS", "2");
            PixelDecoder d = open(b.encapsulated(bot, a, c).build());
            assertArrayEquals(new int[]{1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12}, d.frame(0));
            assertArrayEquals(new int[]{13, 17, 21, 14, 18, 22, 15, 19, 23, 16, 20, 24}, d.frame(1));
            assertEquals(new PixelStats(1, 24, 12.5), PixelStats.of(d));
        }
    }

    @Test
    void aFrameSpanningFragmentsIsReassembled() throws IOException {
        byte[] a = DicomBuilder.rleFrame(new int[][]{{7, 8, 9, 10}});
        byte[] p1 = java.util.Arrays.copyOf(a, 64), p2 = java.util.Arrays.copyOfRange(a, 64, a.length);
        DicomBuilder b = new DicomBuilder("1.2.840.10008.1.2.5").image(2, 2, 1, "MONOCHROME2", 8, 8, 0);
        assertArrayEquals(new int[]{7, 8, 9, 10}, open(b.encapsulated(new long[0], p1, p2).build()).frame(0));
    }

    @Test
    void unsupportedAndUnknownSyntaxesNameTheirUid() {
        for (String ts : new String[]{"1.2.840.10008.1.2.4.89", "1.2.3.4.5.6"}) {
            byte[] f = new DicomBuilder(ts).image(1, 1, 1, "MONOCHROME2", 8, 8, 0).encapsulated(new long[0], new byte[]{1, 2}).build();
            BadFileException e = assertThrows(BadFileException.class, () -> open(f));
            assertTrue(e.getMessage().startsWith(NAME + ": unsupported transfer syntax " + ts), e.getMessage());
        }
    }

    @Test
    void problemsAreOneLineFileErrors() {
        BadFileException magic = assertThrows(BadFileException.class, () -> open(new byte[300]));
        assertEquals(NAME + ": not a DICOM file (no DICM marker at offset 128)", magic.getMessage());
        byte[] shortData = DicomBuilder.explicitLe().image(4, 4, 1, "MONOCHROME2", 16, 16, 0).pixels16(1, 2, 3).build();
        assertTrue(assertThrows(BadFileException.class, () -> open(shortData)).getMessage().contains("pixel data has 6 bytes but 4x4"));
        byte[] none = DicomBuilder.explicitLe().image(4, 4, 1, "MONOCHROME2", 16, 16, 0).build();
        assertEquals(NAME + ": no pixel data", assertThrows(BadFileException.class, () -> open(none)).getMessage());
        byte[] cut = java.util.Arrays.copyOf(DicomBuilder.explicitLe().image(4, 4, 1, "MONOCHROME2", 8, 8, 0).pixels8(new int[16]).build(), 200);
        assertTrue(assertThrows(BadFileException.class, () -> open(cut)).getMessage().startsWith(NAME + ": truncated DICOM data"));
    }

    @Test
    void filesWithoutPreambleAreReadFromTheirFirstElement() throws IOException {
        byte[] full = DicomBuilder.explicitLe().str(MODALITY, "CS", "CT").image(1, 2, 1, "MONOCHROME2", 8, 8, 0).pixels8(3, 4).build();
        int metaEnd = 132 + (12 + 2) + (8 + 20); // OB version, padded transfer syntax UID
        byte[] bare = java.util.Arrays.copyOfRange(full, metaEnd, full.length);
        assertEquals(8, bare[0]);
        assertArrayEquals(new int[]{3, 4}, open(bare).frame(0));
    }
}
