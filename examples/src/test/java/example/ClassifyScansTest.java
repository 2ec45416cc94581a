package example;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.api.TorchImport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Use from Java" example cannot rot: its code block must be this project's
 * ClassifyScans.java, and what it prints must equal {@code medmamba predict --json} (the CLI jar
 * built beside it) on the same files, probability for probability.
 */
class ClassifyScansTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** target/medmamba-VERSION-cli.jar, built by the root project's package. */
    static Path cliJar() throws Exception {
        try (var s = Files.list(ROOT.resolve("target"))) {
            return s.filter(p -> p.getFileName().toString().matches("medmamba-.*-cli\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/medmamba-*-cli.jar: run mvn install in " + ROOT));
        }
    }

    @Test
    void readmeShowsThisExample() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = Pattern.compile("<!-- example: examples/src/main/java/example/ClassifyScans.java -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has the example block");
        assertEquals(Files.readString(Path.of("src/main/java/example/ClassifyScans.java")), m.group(1));
    }

    @Test
    void predictionsEqualTheCli(@TempDir Path tmp) throws Exception {
        // a real model: the original PyTorch MedMamba checkpoint shipped as a test fixture
        Path pth = ROOT.resolve("src/test/resources/fixtures/reference/mini_c5_rgb_64x96.pth");
        Path model = tmp.resolve("mini.mmb");
        TorchImport.convert(pth, model, 64, 96, List.of("a", "b", "c", "d", "e"), null, null);
        List<String> files = new ArrayList<>();
        try (var s = Files.list(ROOT.resolve("demo-data/test/coronal"))) {
            s.sorted().limit(5).forEach(p -> files.add(p.toString()));
        }
        files.add(ROOT.resolve("src/test/resources/fixtures/images/itk/BrainT1Slice.png").toString());

        List<String> args = new ArrayList<>(List.of(model.toString()));
        args.addAll(files);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            ClassifyScans.main(args.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("labels: [a, b, c, d, e]", lines.getFirst());

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-jar", cliJar().toString(),
                "predict", "--json", "--model", model.toString()));
        cmd.addAll(files);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), json);
        var arr = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertEquals(files.size(), arr.size());
        for (int i = 0; i < files.size(); i++) {
            String[] f = lines.get(i + 1).split("\t");
            var o = arr.get(i);
            assertEquals(o.get("file").asText(), f[0]);
            assertEquals(o.get("label").asText(), f[1]);
            assertEquals(o.get("class_index").asInt(), Integer.parseInt(f[2]));
            StringBuilder probs = new StringBuilder("[");
            for (int k = 0; k < o.get("probabilities").size(); k++)
                probs.append(k > 0 ? ", " : "").append(o.get("probabilities").get(k).floatValue());
            assertEquals(probs + "]", f[3], "probabilities of " + f[0]);
        }
    }

    /** A consumer that does not pass --add-modules jdk.incubator.vector gets one notice and the plain-Java kernels. */
    @Test
    void runsWithoutTheVectorApi(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("mini.mmb");
        TorchImport.convert(ROOT.resolve("src/test/resources/fixtures/reference/mini_c5_rgb_64x96.pth"), model, 64, 96, null, null, null);
        String file = ROOT.resolve("src/test/resources/fixtures/images/itk/BrainT1Slice.png").toString();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "example.ClassifyScans", model.toString(), file).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        assertEquals(1, err.lines().filter(l -> l.contains("the Vector API is not enabled")).count(), err);
        float[] plain = parse(out.lines().toList().get(1).split("\t")[3]);

        float[] vector;
        try (var c = org.medmamba.api.Classifier.load(model)) {
            vector = c.predict(Path.of(file)).probabilities();
        }
        assertEquals(vector.length, plain.length);
        for (int k = 0; k < plain.length; k++) assertEquals(vector[k], plain[k], 1e-5f, "class " + k);
    }

    private static float[] parse(String list) {
        String[] parts = list.substring(1, list.length() - 1).split(", ");
        float[] v = new float[parts.length];
        for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(parts[i]);
        return v;
    }
}
