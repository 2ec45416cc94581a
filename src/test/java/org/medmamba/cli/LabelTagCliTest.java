package org.medmamba.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** A DICOM folder is a dataset when a tag names the labels. */
class LabelTagCliTest {
    @Test
    void datasetInspectCountsClassesFromTheModalityTag() {
        Path dir = CliTest.SHARED.resolve("dicom/pydicom/dicomdirtests");
        CliTest.Run r = CliTest.run("dataset", "inspect", dir.toString(), "--label-tag", "Modality");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("31 images, 3 classes"), r.out());
        assertTrue(r.out().matches("(?s).*CR\\s+3\\b.*CT\\s+11\\b.*MR\\s+17\\b.*"), r.out());
        CliTest.Run bad = CliTest.run("dataset", "inspect", dir.toString(), "--label-tag", "NoSuchKeyword");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("unknown DICOM tag 'NoSuchKeyword'"), bad.err());
    }
}
