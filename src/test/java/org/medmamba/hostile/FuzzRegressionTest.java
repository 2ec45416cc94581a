package org.medmamba.hostile;

import org.junit.jupiter.api.Test;
import org.medmamba.data.ImageFiles;
import org.medmamba.io.BadFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Every input the fuzzer once crashed a parser with now fails with the documented one-line exception. */
class FuzzRegressionTest {
    static final Path DIR = Path.of("src/test/resources/fuzz-regressions");

    private static List<Path> inputs(String target) throws IOException {
        try (Stream<Path> s = Files.list(DIR.resolve(target))) {
            return s.sorted().toList();
        }
    }

    @Test
    void imageCrashesAreOneLineBadFileExceptions() throws IOException {
        List<Path> in = inputs("Image");
        assertEquals(4, in.size());
        for (Path f : in) {
            byte[] b = Files.readAllBytes(f);
            BadFileException e = assertThrows(BadFileException.class, () -> ImageFiles.read(f, b), f.toString());
            assertTrue(e.getMessage().startsWith(f + ": ") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /** A bundle whose metadata lacks drop_path_rate: a NullPointerException that the JIT had stripped of its message, then one in the handler. */
    @Test
    void safetensorsCrashesAreOneLineBadFileExceptions() throws IOException {
        List<Path> in = inputs("Safetensors");
        assertEquals(1, in.size());
        for (Path f : in) {
            BadFileException e = assertThrows(BadFileException.class, () -> org.medmamba.bundle.ModelBundle.load(f), f.toString());
            assertTrue(e.getMessage().startsWith(f + ": corrupt bundle metadata (") && !e.getMessage().contains("\n"), e.getMessage());
        }
        assertEquals("NullPointerException", BadFileException.reason(new NullPointerException()));
        assertEquals("first", BadFileException.reason(new IllegalStateException("first\nsecond")));
    }
}
