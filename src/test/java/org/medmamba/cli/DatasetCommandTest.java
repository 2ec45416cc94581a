package org.medmamba.cli;

import org.medmamba.cli.CliTest.Run;
import static org.medmamba.cli.CliTest.run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.data.CsvManifestDataset;
import org.medmamba.data.Sample;
import org.medmamba.data.Splitter;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DatasetCommandTest {
    @TempDir
    Path tmp;

    Path folder(int a, int b) throws IOException {
        return org.medmamba.testing.ImageFolders.benignMalignant(tmp, a, b);
    }

    @Test
    void inspectPrintsCountsSizesAndBadFiles() throws IOException {
        Path root = folder(10, 5);
        Run r = run("dataset", "inspect", root.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(image folders)\n15 images, 2 classes\n"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  benign\\s+10\\n  malignant\\s+5\\n  total\\s+15\\n.*"), r.out());
        assertTrue(r.out().contains("image sizes (HxW): 4x6 (15)\nchannels: 1 (15)\nbad files: none"), r.out());
        assertTrue(r.err().contains("100% 15/15"), r.err());

        Run quiet = run("dataset", "inspect", "--quiet", root.toString());
        assertEquals(r.out(), quiet.out(), "results are the same");
        assertEquals("", quiet.err(), "--quiet: no progress bar");
        Run errorsOnly = run("--log-level", "ERROR", "dataset", "inspect", root.toString());
        assertEquals("", errorsOnly.err());
        assertEquals(2, run("dataset", "inspect", "--log-level", "loud", root.toString()).code(), "a bad level is a usage error");

        Files.writeString(root.resolve("benign/zz.png"), "broken");
        Run bad = run("dataset", "inspect", "--json", root.toString());
        assertEquals(1, bad.code(), "bad files make the exit code 1");
        JsonNode j = new ObjectMapper().readTree(bad.out());
        assertEquals("image folders", j.get("source").asText());
        assertEquals(16, j.get("images").asInt());
        assertEquals("benign", j.get("classes").get(0).get("name").asText());
        assertEquals(11, j.get("classes").get(0).get("count").asInt());
        assertEquals(15, j.get("sizes").get(0).get("count").asInt());
        assertEquals(root.resolve("benign/zz.png").toString(), j.get("bad_files").get(0).get("file").asText());
    }

    @Test
    void inspectNpzShowsSplitColumns() {
        Run r = run("dataset", "inspect", "src/test/resources/npz/gray28.npz");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(MedMNIST .npz)\n9 images, 3 classes\n"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  class\\s+train\\s+val\\s+test\\s+total\\n  0\\s+2\\s+0\\s+1\\s+3\\n.*"), r.out());
        assertTrue(r.out().contains("image sizes (HxW): 28x28 (9)"), r.out());
    }

    @Test
    void splitWritesAManifestThatReadsBackAndRefusesToOverwrite() throws IOException {
        Path root = folder(10, 5);
        Path out = tmp.resolve("out/m.csv");
        Run r = run("dataset", "split", root.toString(), "--val", "0.2", "--test", "0.2", "--seed", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\\n  benign\\s+6\\s+2\\s+2\\s+10\\n  malignant\\s+3\\s+1\\s+1\\s+5\\n.*"), r.out());
        byte[] first = Files.readAllBytes(out);
        assertTrue(new String(first, StandardCharsets.UTF_8).startsWith("path,label,split\n../data/benign/P0_0.png,benign,"));
        CsvManifestDataset d = CsvManifestDataset.open(out);
        assertEquals(List.of("benign", "malignant"), d.classes());
        Map<String, int[]> c = Splitter.counts(d.samples(), 2);
        assertArrayEquals(new int[]{6, 3}, c.get("train"));
        assertArrayEquals(new int[]{2, 1}, c.get("val"));
        assertArrayEquals(new int[]{2, 1}, c.get("test"));
        assertTrue(Files.isRegularFile(d.samples().getFirst().file()));

        Run again = run("dataset", "split", root.toString(), "--seed", "2", "--out", out.toString());
        assertEquals(1, again.code());
        assertEquals("medmamba: " + out + ": exists (use --force to overwrite it)\n", again.err());
        assertArrayEquals(first, Files.readAllBytes(out));
        assertEquals(0, run("dataset", "split", root.toString(), "--val", "0.2", "--test", "0.2", "--seed", "1", "--out", out.toString(), "--force").code());
        assertArrayEquals(first, Files.readAllBytes(out), "same seed, same manifest");
        try (var s = Files.list(tmp.resolve("data"))) {
            assertEquals(2, s.count(), "nothing written into the dataset");
        }
    }

    @Test
    void splitByGroupKeepsPatientsTogether() throws IOException {
        Path root = folder(20, 15);
        Path out = tmp.resolve("g.csv");
        Run r = run("dataset", "split", root.toString(), "--group-by", "/(P\\d+)_", "--val", "0.2", "--test", "0.3", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("35 images in 7 groups"), r.out());
        Map<String, String> seen = new HashMap<>();
        for (Sample s : CsvManifestDataset.open(out).samples()) {
            String prev = seen.putIfAbsent(s.group(), s.split());
            if (prev != null) assertEquals(prev, s.split(), s.group());
        }
        assertEquals(7, seen.size());
        Run bad = run("dataset", "split", root.toString(), "--group-by", "Q(\\d+)", "--out", tmp.resolve("h.csv").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("medmamba: --group-by 'Q(\\d+)' does not match benign/P0_0.png"), bad.err());
        assertFalse(Files.exists(tmp.resolve("h.csv")));
    }
}
