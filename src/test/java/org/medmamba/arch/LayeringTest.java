package org.medmamba.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imports point down the data flow. Every package of src/main has a rank; a class may refer to
 * classes of its own package or of packages of lower rank only (imports, static imports and fully
 * qualified names in code; comments do not count). Ranks strictly increase, so there is no cycle.
 * A new package must be placed here (and get a package-info.java) before the build passes.
 */
class LayeringTest {
    /** The layers, bottom first (README "Layout"). */
    static final List<String> ORDER = List.of(
            "tensor", "kernels", "autograd", "nn", "model", "io", "quant", "bundle",
            "data.image", "data.jpeg", "data.dicom", "data", "data.transform", "data.loader",
            "train", "eval", "eval.report", "bench", "explain", "api", "serve", "cli");

    static final Path MAIN = Path.of("src/main/java/org/medmamba");
    private static final Pattern REF = Pattern.compile("\\borg\\.medmamba\\.([a-z][a-z0-9]*(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern STRINGS = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

    @Test
    void everyReferencePointsDown() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : sources().entrySet()) {
            String pkg = e.getKey();
            int rank = ORDER.indexOf(pkg);
            for (Path file : e.getValue()) {
                for (String target : references(file)) {
                    if (target.equals(pkg)) continue;
                    int to = ORDER.indexOf(target);
                    if (to < 0) violations.add(MAIN.relativize(file) + " refers to unknown package " + target);
                    else if (to > rank) violations.add(MAIN.relativize(file) + " (" + pkg + ") refers up to " + target);
                }
            }
        }
        assertEquals(List.of(), violations, "references that run against the data flow");
    }

    @Test
    void everyPackageIsPlacedAndDocumented() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : sources().entrySet()) {
            if (!ORDER.contains(e.getKey())) problems.add(e.getKey() + " is not in LayeringTest.ORDER");
            Path info = MAIN.resolve(e.getKey().replace('.', '/')).resolve("package-info.java");
            if (!Files.isRegularFile(info)) problems.add(e.getKey() + " has no package-info.java");
        }
        assertEquals(List.of(), problems);
    }

    /** The test can fail: a class that refers up is caught, one that refers down is not. */
    @Test
    void detectsABackArrow() {
        String up = "package org.medmamba.io;\nimport org.medmamba.model.MedMamba; // x\nclass A { org.medmamba.cli.Main m; }";
        assertEquals(new TreeSet<>(List.of("model", "cli")), refs(up));
        assertEquals(new TreeSet<>(List.of("tensor")), refs("/* org.medmamba.cli.Main */ import static org.medmamba.tensor.Tensor.of; String s = \"org.medmamba.api.X\";"));
        assertTrue(ORDER.indexOf("cli") > ORDER.indexOf("io"));
    }

    static Map<String, List<Path>> sources() throws IOException {
        Map<String, List<Path>> byPackage = new TreeMap<>();
        try (Stream<Path> s = Files.walk(MAIN)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = MAIN.relativize(p.getParent()).toString().replace('/', '.');
                byPackage.computeIfAbsent(pkg, k -> new ArrayList<>()).add(p);
            }
        }
        return byPackage;
    }

    static TreeSet<String> references(Path file) throws IOException {
        return refs(Files.readString(file));
    }

    static TreeSet<String> refs(String source) {
        String code = STRINGS.matcher(COMMENTS.matcher(source).replaceAll(" ")).replaceAll("\"\"");
        code = code.replaceFirst("(?m)^package [^;]+;", "");
        TreeSet<String> out = new TreeSet<>();
        Matcher m = REF.matcher(code);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
