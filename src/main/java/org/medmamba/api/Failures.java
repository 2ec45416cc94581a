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
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return m;
    }
}
