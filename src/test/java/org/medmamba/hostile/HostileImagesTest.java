package org.medmamba.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.api.TorchImport;
import org.medmamba.testing.Shared;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Image bombs and liars: each a one-line error naming the file, the good file still predicted, under -Xmx512m. */
class HostileImagesTest {
    @TempDir
    Path tmp;

    @Test
    void predictRefusesEveryBombOnItsHeaderAndGoesOn() throws Exception {
        Map<String, String> cases = HostileImages.write(tmp.resolve("cases"));
        Path model = tmp.resolve("mini.mmb");
        TorchImport.read(Shared.fixture("reference/mini_c5_rgb_64x96.pth"), 64, 96, null, null, null).save(model);
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--json"));
        for (String f : cases.keySet()) args.add(tmp.resolve("cases").resolve(f).toString());
        Path good = Shared.fixture("images/itk/BrainT1Slice.png").toAbsolutePath();
        args.add(good.toString());
        ChildJvm.Result r = ChildJvm.medmamba(tmp, args.toArray(String[]::new));

        assertEquals(1, r.code(), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace or exception name:\n" + r.err());
        List<String> lines = r.err().lines().filter(l -> l.startsWith("medmamba: ")).toList();
        for (var c : cases.entrySet()) {
            Path f = tmp.resolve("cases").resolve(c.getKey());
            String line = lines.stream().filter(l -> l.startsWith("medmamba: " + f + ": ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no error line for " + f + ":\n" + r.err()));
            assertTrue(line.contains(c.getValue()), line);
            assertTrue(line.length() < 300, line);
        }
        JsonNode json = new ObjectMapper().readTree(r.out());
        List<String> predicted = new ArrayList<>();
        json.forEach(n -> predicted.add(n.get("file").asText()));
        assertTrue(predicted.contains(good.toString()), "the good file is still predicted: " + r.out() + "\n" + r.err());
    }
}
