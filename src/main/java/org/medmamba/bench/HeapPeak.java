package org.medmamba.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap use over a measured stretch: the heap pools' peaks summed (an upper bound of the
 * true simultaneous peak, as each pool peaks at its own moment). What the benchmarks report as
 * "peak heap"; the JVM's RSS is larger by the code cache, metaspace and unreturned heap.
 */
final class HeapPeak {
    private HeapPeak() {}

    /** Collects, then starts a new stretch. */
    static void reset() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
    }

    /**
     * Bytes reachable now, after full collections: the live set, without the headroom G1 adds
     * (which is what the pool peaks mostly measure when allocation is fast).
     */
    static long live() {
        for (int i = 0; i < 3; i++) System.gc();
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP) sum += p.getUsage().getUsed();
        return sum;
    }

    /** Bytes: the summed pool peaks since the last {@link #reset()}. */
    static long bytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) sum += p.getPeakUsage().getUsed();
        return sum;
    }
}
