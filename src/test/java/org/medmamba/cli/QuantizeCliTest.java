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
}
