package org.medmamba.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

/** The shared pool: every index exactly once, failures rethrown, nesting and concurrent callers safe. */
class ParallelTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void everyIndexRunsExactlyOnceForManyShapes() {
        for (int t : new int[]{1, 2, 3}) {
            Parallel.setThreads(t);
            for (int n : new int[]{1, 2, 7, 33, 97, 1000}) for (int grain : new int[]{1, 4, 50}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                for (int rep = 0; rep < 20; rep++) Parallel.range(n, grain, (s, e) -> { for (int i = s; i < e; i++) hits.incrementAndGet(i); });
                for (int i = 0; i < n; i++) assertEquals(20, hits.get(i), "threads " + t + " n " + n + " grain " + grain + " index " + i);
            }
        }
    }

    @Test
    void failuresAreRethrownToTheCaller() {
        Parallel.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.range(100, 1, (s, en) -> {
            if (s >= 50) throw new IllegalStateException("boom at " + s);
        }));
        assertTrue(e.getMessage().startsWith("boom"));
        AtomicInteger after = new AtomicInteger();      // the pool still works afterwards
        Parallel.range(10, 1, (s, en) -> after.addAndGet(en - s));
        assertEquals(10, after.get());
    }

    @Test
    void nestedAndConcurrentCallsComplete() throws Exception {
        Parallel.setThreads(2);
        AtomicInteger total = new AtomicInteger();
        Runnable nested = () -> Parallel.range(8, 1, (s, e) -> {
            for (int i = s; i < e; i++) Parallel.range(8, 1, (s2, e2) -> total.addAndGet(e2 - s2));
        });
        Thread[] ts = new Thread[3];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = new Thread(() -> { for (int r = 0; r < 50; r++) nested.run(); });
            ts[i].start();
        }
        for (Thread t : ts) t.join(30_000);
        assertEquals(3 * 50 * 64, total.get());
    }
}
