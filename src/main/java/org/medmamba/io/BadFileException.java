package org.medmamba.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be read as what it claims to be. The message is one line: "FILE: problem",
 * the problem cut to {@link #MAX_PROBLEM} characters (a hostile file's names can be megabytes).
 */
public class BadFileException extends IOException {
    public static final int MAX_PROBLEM = 300;

    public BadFileException(Path file, String problem) {
        super(file + ": " + oneLine(problem));
    }

    public BadFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + oneLine(problem), cause);
    }

    static String oneLine(String problem) {
        String p = String.valueOf(problem).replaceAll("\\R", " ");
        return p.length() > MAX_PROBLEM ? p.substring(0, MAX_PROBLEM - 1) + "…" : p;
    }

    /**
     * The first line of e's message, or its class name when it has none: the JIT drops the
     * message of hot implicit exceptions (a NullPointerException after many calls), and a
     * handler that assumed one threw a second exception (found by fuzzing).
     */
    public static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(e.getClass().getSimpleName());
    }

    /** Refuses a path that is missing, a folder, or a device or pipe (which would be read forever). */
    public static void requireRegularFile(Path file) throws BadFileException {
        if (java.nio.file.Files.isRegularFile(file)) return;
        if (java.nio.file.Files.isDirectory(file)) throw new BadFileException(file, "is a folder, not a file");
        if (java.nio.file.Files.exists(file)) throw new BadFileException(file, "not a regular file (a device, pipe or socket)");
        throw new BadFileException(file, "no such file");
    }
}
