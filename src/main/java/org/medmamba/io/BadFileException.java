package org.medmamba.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be read as what it claims to be. The message is one line: "FILE: problem". */
public class BadFileException extends IOException {
    public BadFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public BadFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
