package org.medmamba.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Losses;
import org.medmamba.autograd.Var;
import org.medmamba.data.image.Image;
import org.medmamba.data.ImageFiles;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.io.SafetensorsFile;
import org.medmamba.model.MedMamba;
import org.medmamba.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** import-torch → bundle → predict / info, end to end through the command line. */
public class CliTest {
    static final Path SHARED = org.medmamba.testing.Shared.FIXTURES; // in-repo copies of the shared files used here

    @TempDir
    Path tmp;

    /** One command line's exit code and captured stdout/stderr; shared by the CLI tests. */
    public record Run(int code, String out, String err) {}

    public static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void importTorchInfersTheArchitectureAndTheBundleReproducesTheReferenceLogits() throws Exception {
        Path mmb = tmp.resolve("gray.mmb");
        Run r = run("import-torch", org.medmamba.testing.Shared.require("reference/small_c4_gray_96.pth").toString(), "--out", mmb.toString(),
                "--image-size", "96", "--labels", "a,b,c,d");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("depths [1, 1, 3, 1], dims [48, 96, 192, 384], d_state 16, 4 classes, 1 input channels"), r.out);
        ModelBundle b = ModelBundle.load(mmb);
        assertEquals(java.util.List.of("a", "b", "c", "d"), b.labels());
        assertArrayEquals(new float[]{0.5f}, b.mean());
        MedMamba m = b.toModel();
        try (SafetensorsFile ref = SafetensorsFile.open(org.medmamba.testing.Shared.require("reference/small_c4_gray_96.safetensors"));
             var g = GradMode.noGrad()) {
            Tensor logits = m.forward(Var.constant(ref.get("input").toFloat())).value();
            float[] e = ref.get("logits_eval").toFloat().data(), a = logits.data();
            for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-4);
        }
    }

    @Test
    void predictJsonIsOneArrayInInputOrderAndBadFilesAreReported() throws Exception {
        Path mmb = tmp.resolve("rgb.mmb");
        assertEquals(0, run("import-torch", SHARED.resolve("reference/mini_c5_rgb_64x96.pth").toString(), "--out", mmb.toString(),
                "--image-size", "64x96").code);
        Path bad = tmp.resolve("broken.png");
        Files.write(bad, new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Path img1 = SHARED.resolve("images/skimage/retina.jpg"), img2 = SHARED.resolve("images/itk/BrainT1Slice.png");
        Run r = run("predict", "--model", mmb.toString(), "--json", "--batch-size", "2", img1.toString(), bad.toString(), img2.toString());
        assertEquals(1, r.code, "a bad file makes the exit code non-zero");
        assertTrue(r.err.contains(bad.toString()), r.err);
        JsonNode arr = new ObjectMapper().readTree(r.out);
        assertEquals(3, arr.size(), "one entry per input, the failed one included");
        assertEquals(img1.toString(), arr.get(0).get("file").asText());
        assertEquals(bad.toString(), arr.get(1).get("file").asText());
        assertTrue(arr.get(1).get("error").asText().startsWith(bad + ": "), arr.get(1).toString());
        assertNull(arr.get(1).get("label"));
        assertNull(arr.get(0).get("error"));
        assertEquals(img2.toString(), arr.get(2).get("file").asText());
        ((com.fasterxml.jackson.databind.node.ArrayNode) arr).remove(1);   // the checks below read img2 at 1
        Run t = run("predict", "--model", mmb.toString(), "--top", "3", img2.toString());
        String[] row = t.out.lines().toList().get(1).trim().split("\\s+");
        assertEquals(7, row.length, t.out);   // file, then 3 × (label, probability), most probable first
        assertTrue(Float.parseFloat(row[2]) >= Float.parseFloat(row[4]) && Float.parseFloat(row[4]) >= Float.parseFloat(row[6]), t.out);
        // probabilities equal a direct forward pass of the same preprocessing
        ModelBundle b = ModelBundle.load(mmb);
        Image im = ImageFiles.read(img2).toChannels(3).resize(64, 96);
        float[] x = new float[3 * 64 * 96];
        im.normalizeInto(b.mean(), b.std(), x, 0);
        try (var g = GradMode.noGrad()) {
            float[] p = Losses.softmax(b.toModel().forward(Var.constant(Tensor.of(x, 1, 3, 64, 96)))).value().data();
            double sum = 0;
            for (int i = 0; i < 5; i++) {
                assertEquals(p[i], arr.get(1).get("probabilities").get(i).asDouble(), 1e-6);
                sum += arr.get(1).get("probabilities").get(i).asDouble();
            }
            assertEquals(1.0, sum, 1e-5);
            int best = 0;
            for (int i = 1; i < 5; i++) if (p[i] > p[best]) best = i;
            assertEquals(best, arr.get(1).get("class_index").asInt());
        }
    }

    @Test
    void infoReportsThePresetParameterCounts() {
        Run r = run("info", "--variant", "tiny", "--num-classes", "6", "--no-memory");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("14,457,222"), r.out);
        assertTrue(run("info", "--variant", "small", "--num-classes", "6", "--no-memory").out.contains("18,625,158"));
        assertTrue(run("info", "--variant", "base", "--num-classes", "6", "--no-memory").out.contains("39,864,838"));
    }

    @Test
    void importTorchRefusesWrongLabelCountAndMissingFiles() {
        Run r = run("import-torch", SHARED.resolve("reference/mini_c5_rgb_64x96.pth").toString(), "--out", tmp.resolve("x.mmb").toString(),
                "--labels", "a,b");
        assertEquals(1, r.code);
        assertTrue(r.err.contains("--labels has 2 names but the checkpoint has 5 classes"), r.err);
        assertFalse(Files.exists(tmp.resolve("x.mmb")));
        Run m = run("import-torch", tmp.resolve("nope.pth").toString(), "--out", tmp.resolve("y.mmb").toString());
        assertEquals(1, m.code);
        assertTrue(m.err.startsWith("medmamba: " + tmp.resolve("nope.pth") + ": no such file"), m.err);
    }
}
