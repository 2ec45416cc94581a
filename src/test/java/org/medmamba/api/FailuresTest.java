package org.medmamba.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.io.AtomicFiles;
import org.medmamba.io.BadFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The one-line descriptions of failures that would otherwise name no file or no problem. */
class FailuresTest {
    @TempDir
    Path tmp;

    @Test
    void jvmErrorsAndBareFileErrorsSayWhatIsWrong() {
        assertTrue(Failures.describe(new OutOfMemoryError("Java heap space")).startsWith("out of memory (Java heap space); raise the heap"));
        assertEquals("nested too deeply to process (stack overflow)", Failures.describe(new StackOverflowError()));
        assertEquals("/nonexistent.mmb: no such file", Failures.describe(new NoSuchFileException("/nonexistent.mmb")));
        assertEquals("a: permission denied", Failures.describe(new java.nio.file.AccessDeniedException("a")));
        assertEquals("first line", Failures.describe(new IOException("first line\nsecond")));
        // a JDK error that carries only the path still says what is wrong once wrapped
        assertEquals("/m.mmb: permission denied",
                MedMambaException.of(Path.of("/m.mmb"), new java.nio.file.AccessDeniedException("/m.mmb")).getMessage());
    }

    @Test
    void devicesFoldersAndMissingFilesAreToldApart() {
        assertEquals("/dev/null: not a regular file (a device, pipe or socket)",
                assertThrows(BadFileException.class, () -> BadFileException.requireRegularFile(Path.of("/dev/null"))).getMessage());
        assertEquals(tmp + ": is a folder, not a file",
                assertThrows(MedMambaException.class, () -> Classifier.load(tmp)).getMessage());
        assertEquals(tmp.resolve("x.mmb") + ": no such file",
                assertThrows(MedMambaException.class, () -> Classifier.load(tmp.resolve("x.mmb"))).getMessage());
    }

    @Test
    void aFailedWriteNamesTheFileAndKeepsTheOldContent() throws IOException {
        Path target = Files.writeString(tmp.resolve("metrics.json"), "old");
        BadFileException e = assertThrows(BadFileException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("No space left on device");
        }));
        assertEquals(target + ": cannot write (No space left on device)", e.getMessage());
        assertEquals("old", Files.readString(target));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "the temporary file is gone");
        }
    }
}
