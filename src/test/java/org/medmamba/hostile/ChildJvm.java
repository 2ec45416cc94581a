package org.medmamba.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code medmamba} in a child JVM with a small heap (-Xmx512m), so that a decoder or loader
 * that allocates before it checks fails the test instead of passing on the test JVM's large heap.
 */
final class ChildJvm {
    private ChildJvm() {}

    record Result(int code, String out, String err) {}

    static Result medmamba(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.medmamba.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = workDir.resolve("child.out"), err = workDir.resolve("child.err");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        // a bound on cost, not a speed measurement: every case must fail fast on its header
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("medmamba " + String.join(" ", args) + " ran for more than 120 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
