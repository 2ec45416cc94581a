package org.medmamba.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;

/** ./medmamba quantize → a bundle that info, predict and bench read; flags that do not fit are named. */
class QuantizeCliTest {
    @TempDir
    Path tmp;

    @Test
    void quantisedBundlesAreReadByInfoAndPredict() throws Exception {
        MedMamba m = new MedMamba(new MedMambaConfig(new int[]{1, 1, 2, 1}, new int[]{32, 64, 128, 256}, 8, 3, 1, 0f), 2);
        Path f32 = tmp.resolve("m.mmb");
        new ModelBundle(m.config(), List.of("a", "b", "c"), 64, 64, new float[]{0.5f}, new float[]{0.25f}, Map.of("source", "test"), m.stateDict()).save(f32);
        Path img = Path.of("src/test/resources/fixtures/images/itk/BrainT1Slice.png");
        CliTest.Run base = CliTest.run("predict", "--model", f32.toString(), "--json", img.toString());
        assertEquals(0, base.code(), base.err());
        JsonNode want = new ObjectMapper().readTree(base.out()).get(0).get("probabilities");
        for (String bits : new String[]{"16", "8", "4"}) {
            Path q = tmp.resolve("q" + bits + ".mmb");
            CliTest.Run r = CliTest.run("quantize", "--model", f32.toString(), "--bits", bits, "--out", q.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("wrote " + q), r.out());
            assertTrue(Files.size(q) < Files.size(f32) * (bits.equals("16") ? 0.56 : bits.equals("8") ? 0.32 : 0.2));
            CliTest.Run info = CliTest.run("info", "--no-memory", q.toString());
            assertEquals(0, info.code(), info.err());
            assertTrue(info.out().contains("stored as         " + bits + "-bit"), info.out());
            assertTrue(info.out().contains("scan tensors (F16)"), info.out());
            CliTest.Run p = CliTest.run("predict", "--model", q.toString(), "--json", img.toString());
            assertEquals(0, p.code(), p.err());
            JsonNode got = new ObjectMapper().readTree(p.out()).get(0).get("probabilities");
            double diff = 0;
            for (int i = 0; i < 3; i++) diff = Math.max(diff, Math.abs(got.get(i).asDouble() - want.get(i).asDouble()));
            assertTrue(diff > 0 && diff < (bits.equals("4") ? 0.2 : 0.02), bits + "-bit moved probabilities by " + diff);
        }
        CliTest.Run again = CliTest.run("quantize", "--model", tmp.resolve("q8.mmb").toString(), "--bits", "4", "--out", tmp.resolve("x.mmb").toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("is already quantised"), again.err());
        CliTest.Run badGroup = CliTest.run("quantize", "--model", f32.toString(), "--bits", "4", "--group-size", "48", "--out", tmp.resolve("y.mmb").toString());
        assertTrue(badGroup.code() != 0 && badGroup.err().contains("group size must be 32, 64 or 128"), badGroup.err());
        CliTest.Run same = CliTest.run("quantize", "--model", f32.toString(), "--bits", "8", "--out", f32.toString());
        assertTrue(same.code() != 0, same.err());
        assertTrue(Files.size(f32) > 0);
    }
    /** --calibrate on a folder's train split writes a bundle whose provenance says so; what does not fit is named. */
    @Test
    void calibrateUsesTheTrainSplitAndRefusesWhatDoesNotFit() throws Exception {
        MedMamba m = new MedMamba(new MedMambaConfig(new int[]{1, 1, 2, 1}, new int[]{32, 64, 128, 256}, 8, 2, 1, 0f), 2);
        Path f32 = tmp.resolve("m.mmb");
        new ModelBundle(m.config(), List.of("a", "b"), 64, 64, new float[]{0.5f}, new float[]{0.25f}, Map.of("source", "test"), m.stateDict()).save(f32);
        Path data = tmp.resolve("data"), testOnly = tmp.resolve("testonly");
        Path img = Path.of("src/test/resources/fixtures/images/itk/BrainT1Slice.png");
        for (String split : new String[]{"train", "test"})
            for (String c : new String[]{"a", "b"}) {
                Files.createDirectories(data.resolve(split).resolve(c));
                for (int i = 0; i < 3; i++) Files.copy(img, data.resolve(split).resolve(c).resolve(i + ".png"));
            }
        Files.createDirectories(testOnly.resolve("test").resolve("a"));
        Files.copy(img, testOnly.resolve("test").resolve("a").resolve("0.png"));
        Path q = tmp.resolve("q4c.mmb");
        CliTest.Run r = CliTest.run("quantize", "--model", f32.toString(), "--bits", "4", "--calibrate", data.toString(), "--limit", "4",
                "--out", q.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("calibrating on 4 images of " + data + " (train split)"), r.err());
        assertTrue(r.out().contains("calibrated on 4 images: "), r.out());
        assertTrue(r.out().contains("GPTQ rounding of "), r.out());
        assertTrue(ModelBundle.load(q).provenance().get("calibration").contains("; GPTQ rounding of "), ModelBundle.load(q).provenance().toString());
        Path qn = tmp.resolve("qn.mmb");
        CliTest.Run nearest = CliTest.run("quantize", "--model", f32.toString(), "--bits", "4", "--calibrate", data.toString(), "--limit", "4",
                "--rounding", "nearest", "--out", qn.toString());
        assertEquals(0, nearest.code(), nearest.err());
        assertTrue(!nearest.out().contains("GPTQ") && !ModelBundle.load(qn).provenance().get("calibration").contains("GPTQ"), nearest.out());
        assertTrue(ModelBundle.load(q).provenance().get("calibration").startsWith("activation-aware smoothing on 4 images of data; "),
                ModelBundle.load(q).provenance().toString());
        CliTest.Run p = CliTest.run("predict", "--model", q.toString(), "--json", img.toString());
        assertEquals(0, p.code(), p.err());

        CliTest.Run b16 = CliTest.run("quantize", "--model", f32.toString(), "--bits", "16", "--calibrate", data.toString(), "--out", tmp.resolve("a.mmb").toString());
        assertEquals("medmamba: --calibrate applies to 8- and 4-bit weights (16-bit weights need no calibration)", b16.err().strip());
        CliTest.Run limit = CliTest.run("quantize", "--model", f32.toString(), "--bits", "8", "--limit", "5", "--out", tmp.resolve("b.mmb").toString());
        assertTrue(limit.code() != 0 && limit.err().contains("--limit applies with --calibrate only"), limit.err());
        CliTest.Run badRounding = CliTest.run("quantize", "--model", f32.toString(), "--bits", "4", "--calibrate", data.toString(),
                "--rounding", "best", "--out", tmp.resolve("d.mmb").toString());
        assertEquals("medmamba: --rounding must be gptq or nearest, got 'best'", badRounding.err().strip());
        CliTest.Run roundingAlone = CliTest.run("quantize", "--model", f32.toString(), "--bits", "4", "--rounding", "gptq", "--out", tmp.resolve("e.mmb").toString());
        assertTrue(roundingAlone.code() != 0 && roundingAlone.err().contains("--rounding applies with --calibrate only"), roundingAlone.err());
        CliTest.Run noTrain = CliTest.run("quantize", "--model", f32.toString(), "--bits", "8", "--calibrate", testOnly.toString(), "--out", tmp.resolve("c.mmb").toString());
        assertEquals("medmamba: " + testOnly + ": has no train split to calibrate on (calibration never uses val or test images)", noTrain.err().strip());
        for (String refused : new String[]{"a.mmb", "c.mmb", "d.mmb", "e.mmb"})
            assertTrue(Files.notExists(tmp.resolve(refused)), refused + ": nothing written for refused calls");
    }
}
