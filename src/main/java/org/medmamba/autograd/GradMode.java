package org.medmamba.autograd;

/**
 * Whether operations record the tape (per thread). Inference runs inside
 * {@code try (var g = GradMode.noGrad()) {...}}: nothing is recorded and no intermediates are kept.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[]{true});

    private GradMode() {}

    public static boolean enabled() {
        return ENABLED.get()[0];
    }

    /** Restores the previous mode on close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public static Scope noGrad() {
        return set(false);
    }

    public static Scope enableGrad() {
        return set(true);
    }

    private static Scope set(boolean on) {
        boolean[] f = ENABLED.get();
        boolean prev = f[0];
        f[0] = on;
        return () -> f[0] = prev;
    }
}
