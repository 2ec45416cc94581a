package org.medmamba.api;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one checked exception of the API: a file (image, bundle, dataset) that cannot be used. The
 * message is one line that names the file and the problem, e.g.
 * {@code scans/a.png: not a PNG file (bad signature)}.
 */
public final class MedMambaException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public MedMambaException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** Wraps a failure about file, keeping its message when it already names the file. */
    static MedMambaException of(Path file, Throwable e) {
        if (e instanceof MedMambaException m) return m;
        String msg = Failures.describe(e);   // the JDK's bare-path file errors get their reason here
        String prefix = file + ": ";
        return new MedMambaException(file, msg.startsWith(prefix) ? msg.substring(prefix.length())
                : msg.startsWith(file.toString()) ? msg.substring(file.toString().length()).replaceFirst("^[:\\s]+", "") : msg, e);
    }

    /** The file the problem is about. */
    public Path file() {
        return file;
    }
}
