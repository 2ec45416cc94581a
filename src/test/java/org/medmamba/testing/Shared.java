package org.medmamba.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find their data. The in-repository fixtures (src/test/resources/fixtures, same
 * layout as the shared corpus) are always there; the larger shared corpus (-Dmedmamba.shared, by
 * default ../shared beside the clone) is optional and drives the extended conformance run.
 */
public final class Shared {
    private Shared() {}

    public static final String PROPERTY = "medmamba.shared";
    /** Part of every assumption message (JUnit prefixes "Assumption failed: "); {@link SkippedExtendedTests} counts aborts by it. */
    public static final String NOTICE = "extended: shared corpus not found";
    /** In-repo fixtures; Maven runs the tests from the project root. */
    public static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    public static Path dir() {
        return Path.of(System.getProperty(PROPERTY, "../shared"));
    }

    public static boolean present() {
        return Files.isDirectory(dir().resolve("dicom")) || Files.isDirectory(dir().resolve("reference"));
    }

    /** The file or folder {@code rel} of the shared corpus; aborts (skips) the test when it is absent. */
    public static Path require(String rel) {
        Path p = dir().resolve(rel);
        Assumptions.assumeTrue(Files.exists(p), () -> NOTICE + ": " + p + " (set -D" + PROPERTY + "=DIR to run)");
        return p;
    }

    /** {@code rel} under the in-repo fixtures. */
    public static Path fixture(String rel) {
        return FIXTURES.resolve(rel);
    }
}
