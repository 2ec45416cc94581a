package org.medmamba.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.testing.Shared;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** explain takes inputs as predict does: folders (recursive, skip summary), multi-frame DICOM, bad files, a wrong --class. */
class ExplainInputsCliTest {
    @TempDir
    Path tmp;

    Path tinyModel() throws Exception {
        MedMambaConfig c = new MedMambaConfig(new int[]{1, 1, 1, 1}, new int[]{8, 16, 32, 64}, 4, 3, 1, 0f);
        Path mmb = tmp.resolve("tiny.mmb");
        new ModelBundle(c, List.of("benign", "malignant", "normal"), 32, 32, new float[]{0.5f}, new float[]{0.25f},
                Map.of(), new MedMamba(c, 11).stateDict()).save(mmb);
        return mmb;
    }

    @Test
    void foldersRecurseWithSubfoldersMirroredFramesNumberedAndBadFilesNamed() throws Exception {
        Path mmb = tinyModel(), scans = tmp.resolve("scans"), out = tmp.resolve("maps");
        Path brain = Shared.FIXTURES.resolve("images/itk/BrainT1Slice.png");
        Files.createDirectories(scans.resolve("a"));
        Files.createDirectories(scans.resolve("b/deeper"));
        Files.copy(brain, scans.resolve("a/x.png"));
        Files.copy(brain, scans.resolve("b/deeper/x.png"));
        Files.copy(Shared.FIXTURES.resolve("dicom/octave-dicom/US-PAL-8-10x-echo.dcm"), scans.resolve("b/echo.dcm"));
        Files.writeString(scans.resolve("a/notes.txt"), "not an image");
        Files.writeString(scans.resolve("b/broken.png"), "not a png");

        CliTest.Run r = CliTest.run("explain", "--model", mmb.toString(), "--method", "saliency", "--json", "--dicom-out",
                "--out", out.toString(), scans.toString());
        assertEquals(1, r.code(), "a file failed: " + r.err());
        List<String> errLines = r.err().lines().filter(l -> l.startsWith("medmamba:")).toList();
        assertEquals(1, errLines.stream().filter(l -> l.contains("broken.png")).count(), r.err());
        assertTrue(errLines.contains("medmamba: skipped 1 file in the folders (1 not an image or DICOM file); --verbose lists them"), r.err());
        assertTrue(errLines.stream().anyMatch(l -> l.startsWith("medmamba: --dicom-out: 2 inputs are not DICOM")), r.err());
        assertEquals(3, errLines.size(), "no other lines: " + r.err());

        JsonNode arr = new ObjectMapper().readTree(r.out());
        assertEquals(1 + 10 + 1, arr.size(), "a/x.png, b/deeper/x.png, ten frames of b/echo.dcm (sorted walk)");
        assertEquals(out.resolve("a/x.saliency.png").toString(), arr.get(0).get("png").asText());
        assertFalse(arr.get(0).has("frame"));
        assertFalse(arr.get(0).has("dicom"));
        for (int k = 0; k < 10; k++) {
            JsonNode o = arr.get(2 + k);
            assertEquals(scans.resolve("b/echo.dcm").toString(), o.get("file").asText());
            assertEquals(k, o.get("frame").asInt());
            assertEquals(out.resolve("b/echo.f" + k + ".saliency.png").toString(), o.get("png").asText());
            assertEquals(out.resolve("b/echo.f" + k + ".saliency.dcm").toString(), o.get("dicom").asText());
            assertTrue(Files.isRegularFile(Path.of(o.get("dicom").asText())));
        }
        assertEquals(out.resolve("b/deeper/x.saliency.npy").toString(), arr.get(1).get("npy").asText());
        for (JsonNode o : arr) assertTrue(Files.isRegularFile(Path.of(o.get("png").asText())) && Files.isRegularFile(Path.of(o.get("npy").asText())));
        assertFalse(Files.exists(out.resolve("b/broken.saliency.png")));

        // the same name twice on the command line: the second is refused rather than overwriting the first's maps
        CliTest.Run twice = CliTest.run("explain", "--model", mmb.toString(), "--method", "saliency", "--json", "--out", tmp.resolve("m2").toString(),
                scans.resolve("a/x.png").toString(), scans.resolve("b/deeper/x.png").toString());
        assertEquals(1, twice.code());
        assertTrue(twice.err().contains("b/deeper/x.png: its maps would overwrite those of " + scans.resolve("a/x.png")), twice.err());
        assertEquals(1, new ObjectMapper().readTree(twice.out()).size());
    }

    @Test
    void aClassNotAmongTheLabelsIsOneLineListingThem() throws Exception {
        Path mmb = tinyModel();
        CliTest.Run r = CliTest.run("explain", "--model", mmb.toString(), "--class", "tumour", "--out", tmp.resolve("m").toString(),
                Shared.FIXTURES.resolve("images/itk/BrainT1Slice.png").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("medmamba: --class 'tumour' is not a label of this model; labels: benign, malignant, normal (or top)", r.err().strip());
        assertFalse(Files.exists(tmp.resolve("m")), "nothing written");
        CliTest.Run ok = CliTest.run("explain", "--model", mmb.toString(), "--class", "normal", "--json", "--out", tmp.resolve("m").toString(),
                Shared.FIXTURES.resolve("images/itk/BrainT1Slice.png").toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals("normal", new ObjectMapper().readTree(ok.out()).get(0).get("label").asText());
        assertEquals(2, new ObjectMapper().readTree(ok.out()).get(0).get("class").asInt());
    }
}
