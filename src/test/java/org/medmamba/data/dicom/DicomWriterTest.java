package org.medmamba.data.dicom;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** DicomWriter's Part-10 bytes: meta group length, even padding, tag order, nested sequences, read back by our reader. */
class DicomWriterTest {
    @Test
    void writesAPart10FileOurReaderParsesBack() throws Exception {
        DicomWriter w = new DicomWriter()
                .text(DicomDictionary.PATIENT_ID, "LO", "ABC")                   // odd: padded with a space
                .text(DicomDictionary.SOP_INSTANCE_UID, "UI", "2.25.77")          // odd: padded with NUL
                .u16(DicomDictionary.ROWS, 2)
                .sequence(0x00082112, List.of(new DicomWriter().text(0x00081155, "UI", "1.2.3")
                        .sequence(0x0040A170, List.of(new DicomWriter().text(0x00080100, "SH", "121322")))))
                .bytes(DicomDictionary.PIXEL_DATA, "OB", new byte[]{1, 2, 3});
        byte[] b = w.toPart10("1.2.840.10008.5.1.4.1.1.7", "2.25.77");
        assertEquals('D', b[128]);
        assertEquals('M', b[131]);
        int groupLength = (b[140] & 0xff) | (b[141] & 0xff) << 8 | (b[142] & 0xff) << 16 | (b[143] & 0xff) << 24;
        assertEquals(0x0008, (b[144 + groupLength] & 0xff) | (b[145 + groupLength] & 0xff) << 8, "the group length ends at the first non-meta element");

        DicomFile f = DicomReader.read(Path.of("mem.dcm"), b);
        assertEquals(TransferSyntax.EXPLICIT_LE, f.transferSyntax().uid());
        assertEquals(DicomUids.IMPLEMENTATION_CLASS_UID, f.meta().string(0x00020012));
        assertEquals("2.25.77", f.meta().string(0x00020003));
        DicomDataset d = f.dataset();
        assertEquals(4, d.get(DicomDictionary.PATIENT_ID).length(), "ABC + space");
        assertEquals((byte) ' ', b[indexOf(b, "ABC".getBytes()) + 3]);
        int ds = 144 + groupLength;   // the dataset's SOP Instance UID, not the meta group's copy
        assertEquals(0, b[indexOf(b, "2.25.77".getBytes(), ds) + 7], "UI padded with NUL");
        assertEquals("ABC", d.string(DicomDictionary.PATIENT_ID));
        assertEquals(2, d.integer(DicomDictionary.ROWS, -1));
        DicomDataset item = d.get(0x00082112).items().getFirst();
        assertEquals("1.2.3", item.string(0x00081155));
        assertEquals("121322", item.get(0x0040A170).items().getFirst().string(0x00080100));
        assertEquals(4, f.pixelData().length(), "OB padded to even length");
        List<Integer> tags = d.elements().stream().map(DicomElement::tag).toList();
        assertEquals(tags.stream().sorted(Integer::compareUnsigned).toList(), tags);
        assertThrows(IllegalArgumentException.class, () -> new DicomWriter().text(0x00020010, "UI", "1.2"), "meta group is not set by hand");
        assertTrue(DicomUids.random().matches("2\\.25\\.\\d{1,39}"));
        assertNotEquals(DicomUids.random(), DicomUids.random());
        assertEquals("2.25.340282366920938463463374607431768211455", DicomUids.of(new java.util.UUID(-1L, -1L)), "2^128 - 1: unsigned");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, needle, 0);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
