package org.medmamba.api;

/** One-line descriptions of the JVM errors that a single hostile or huge input can cause. */
public final class Failures {
    private Failures() {}

    /** "out of memory (…; raise -Xmx or lower medmamba.limits.*)" or "nested too deeply (stack overflow)". */
    public static String describe(Throwable e) {
        if (e instanceof OutOfMemoryError o)
            return "out of memory (" + (o.getMessage() == null ? "heap" : o.getMessage())
                    + "); raise the heap (MEDMAMBA_JAVA_OPTS=-Xmx…) or lower medmamba.limits.*";
        if (e instanceof StackOverflowError) return "nested too deeply to process (stack overflow)";
        if (e instanceof java.io.UncheckedIOException u && u.getCause() != null) return describe(u.getCause());
        // the JDK's file errors carry only the path: say what is wrong with it
        if (e instanceof java.nio.file.NoSuchFileException n) return n.getFile() + ": no such file";
        if (e instanceof java.nio.file.AccessDeniedException a) return a.getFile() + ": permission denied";
        if (e instanceof java.nio.file.FileAlreadyExistsException f) return f.getFile() + ": already exists";
        if (e instanceof java.nio.file.NotDirectoryException d) return d.getFile() + ": not a folder";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() == null && f.getFile() != null)
            return f.getFile() + ": " + e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return m;
    }
}
