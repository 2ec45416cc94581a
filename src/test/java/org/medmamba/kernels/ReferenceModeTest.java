package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code -Dmedmamba.kernels=reference} keeps every Vector-API class unloaded, even with the module
 * present: a child JVM runs every kernel ({@link KernelsSmokeMain}) with {@code -verbose:class} and
 * the loaded classes are read from its {@code [class,load]} lines. In the default mode the same
 * run does load them, so the check can fail.
 */
class ReferenceModeTest {

    record Run(String provider, List<String> loaded) {
        List<String> vectorClasses() {
            return loaded.stream().filter(n -> n.startsWith("org.medmamba.kernels.Vector") || n.startsWith("jdk.incubator.vector.")).toList();
        }
    }

    private static Run run(String... props) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-verbose:class", "-Dmedmamba.threads=1"));
        cmd.addAll(List.of(props));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelsSmokeMain.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        String provider = null;
        List<String> loaded = new ArrayList<>();
        for (String line : out.split("\\R")) {
            if (line.startsWith("provider=")) provider = line.substring("provider=".length());
            int i = line.indexOf("[class,load] ");
            if (i >= 0) {
                String rest = line.substring(i + "[class,load] ".length());
                int sp = rest.indexOf(' ');
                loaded.add(sp < 0 ? rest : rest.substring(0, sp));
            }
        }
        assertTrue(loaded.size() > 100, "no -verbose:class output:\n" + out);
        return new Run(provider, loaded);
    }

    @Test
    void referenceModeLoadsNoVectorClass() throws Exception {
        Run r = run("-Dmedmamba.kernels=reference");
        assertEquals("reference", r.provider());
        assertTrue(r.loaded().contains("org.medmamba.kernels.ReferenceSelectiveScan"), "the reference kernels ran");
        assertEquals(List.of(), r.vectorClasses(), "Vector-API classes loaded in reference mode");
    }

    @Test
    void defaultModeLoadsTheVectorClasses() throws Exception {
        Run r = run();
        assertEquals("vector", r.provider());
        List<String> v = r.vectorClasses();
        assertTrue(v.contains("org.medmamba.kernels.VectorKernels") && v.contains("org.medmamba.kernels.VectorSelectiveScan")
                && v.stream().anyMatch(n -> n.startsWith("jdk.incubator.vector.")), "vector classes loaded: " + v);
    }
}
