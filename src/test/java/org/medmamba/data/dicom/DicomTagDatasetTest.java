package org.medmamba.data.dicom;

import org.medmamba.data.DicomTagDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.data.image.Image;
import org.medmamba.data.Sample;
import org.medmamba.io.BadFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DicomTagDatasetTest {
    @TempDir
    Path tmp;

    static byte[] file(String bodyPart, String series, int frames, String privateValue) {
        DicomBuilder b = DicomBuilder.explicitLe().str(DicomDictionary.MODALITY, "CS", "CT");
        b.str(0x00091010, "LO", privateValue);
        if (bodyPart != null) b.str(0x00180015, "CS", bodyPart);
        b.str(DicomDictionary.SERIES_INSTANCE_UID, "UI", series);
        b.image(2, 2, 1, "MONOCHROME2", 8, 8, 0).str(DicomDictionary.NUMBER_OF_FRAMES, "IS", Integer.toString(frames));
        int[] px = new int[4 * frames];
        for (int i = 0; i < px.length; i++) px[i] = i;
        return b.pixels8(px).build();
    }

    @Test
    void classesAreSortedValuesAndEveryFrameIsASampleGroupedBySeries() throws IOException {
        Files.write(tmp.resolve("b.dcm"), file("HEAD", "1.2.3", 1, "x"));
        Files.createDirectory(tmp.resolve("sub"));
        Files.write(tmp.resolve("sub/a"), file("CHEST", "1.2.4", 3, "y")); // no extension: found by its DICM marker
        Files.writeString(tmp.resolve("readme.txt"), "ignored");
        DicomTagDataset ds = new DicomTagDataset(tmp, "BodyPartExamined");
        assertEquals(List.of("CHEST", "HEAD"), ds.classes());
        assertEquals(List.of(new Sample(tmp.resolve("b.dcm"), 0, 1, "", "1.2.3"), new Sample(tmp.resolve("sub/a"), 0, 0, "", "1.2.4"),
                new Sample(tmp.resolve("sub/a"), 1, 0, "", "1.2.4"), new Sample(tmp.resolve("sub/a"), 2, 0, "", "1.2.4")), ds.samples());
        Image third = ds.load(ds.samples().get(3));
        assertArrayEquals(new float[]{0, 1 / 3f, 2 / 3f, 1}, third.data(), 1e-6f); // frame 2 holds 8..11, min–max scaled
        assertEquals(List.of("x", "y"), new DicomTagDataset(tmp, "0009,1010").classes());
        assertEquals(List.of("CT"), new DicomTagDataset(tmp, "(0008,0060)").classes());
    }

    @Test
    void filesWithoutTheTagAreListedInOneError() throws IOException {
        Files.write(tmp.resolve("ok.dcm"), file("HEAD", "1.2.3", 1, "x"));
        Files.write(tmp.resolve("missing.dcm"), file(null, "1.2.3", 1, "x"));
        BadFileException e = assertThrows(BadFileException.class, () -> new DicomTagDataset(tmp, "BodyPartExamined"));
        assertEquals(tmp + ": 1 DICOM file(s) have no BodyPartExamined (0018,0015): " + tmp.resolve("missing.dcm"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DicomTagDataset(tmp, "NoSuchKeyword"));
    }

    @Test
    void sharedFolderByModality() throws IOException {
        DicomTagDataset ds = new DicomTagDataset(DicomManifestTest.DICOM.resolve("pydicom/dicomdirtests/77654033"), "Modality");
        assertEquals(List.of("CR", "CT"), ds.classes());
        assertEquals(7, ds.samples().size());
        assertEquals(4, ds.samples().stream().map(Sample::group).distinct().count(), "CR1, CR2, CR3 and CT2 are four series");
    }
}
