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

    /** Refuses a path that is missing, a folder, or a device or pipe (which would be read forever). */
    public static void requireRegularFile(Path file) throws BadFileException {
        if (java.nio.file.Files.isRegularFile(file)) return;
        if (java.nio.file.Files.isDirectory(file)) throw new BadFileException(file, "is a folder, not a file");
        if (java.nio.file.Files.exists(file)) throw new BadFileException(file, "not a regular file (a device, pipe or socket)");
        throw new BadFileException(file, "no such file");
    }
}
