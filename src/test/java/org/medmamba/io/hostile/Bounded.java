package org.medmamba.io.hostile;

import org.junit.jupiter.api.function.Executable;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Runs a hostile case: it must fail with one IOException line, quickly, allocating little. */
final class Bounded {
    static final long MAX_ALLOCATED = 64L << 20;

    private Bounded() {}

    /** The exception's message, after checking its type, that it is one line and that the case cost little. */
    static String refused(Executable body) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            long before = mx.getCurrentThreadAllocatedBytes();
            Throwable t = assertThrows(Throwable.class, body);
            long used = mx.getCurrentThreadAllocatedBytes() - before;
            assertInstanceOf(java.io.IOException.class, t, () -> "only IOExceptions may escape a parser, got " + t);
            assertTrue(used < MAX_ALLOCATED, "allocated " + (used >> 20) + " MiB before refusing: " + t.getMessage());
            String m = t.getMessage();
            assertFalse(m.contains("\n"), "one line: " + m);
            assertTrue(m.length() <= 600, "short: " + m.length() + " chars");
            return m;
        });
    }
}
