package org.medmamba.kernels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one shared thread pool every kernel uses. Blocking (not spinning) workers: a spin-waiting
 * pool collapses as soon as another process holds a core. The calling thread takes part in the
 * work, and a call made from inside a worker runs serially, so nested parallel loops never deadlock.
 */
public final class Parallel {
    /** Body of a parallel loop over the half-open index range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);
    private static volatile int threads = defaultThreads();
    private static volatile ExecutorService pool;

    private Parallel() {}

    private static int defaultThreads() {
        String p = System.getProperty("medmamba.threads");
        if (p != null && !p.isBlank()) return Math.max(1, Integer.parseInt(p.trim()));
        return Runtime.getRuntime().availableProcessors();
    }

    /** Number of threads parallel loops use (the caller included). */
    public static int threads() {
        return threads;
    }

    /** Sets the thread count for all later parallel loops (1 = serial). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n == threads) return;
        threads = n;
        ExecutorService old = pool;
        pool = null;
        if (old != null) old.shutdown();
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    AtomicInteger id = new AtomicInteger();
                    p = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                        Thread t = new Thread(() -> {
                            IN_WORKER.set(true);
                            r.run();
                        }, "medmamba-worker-" + id.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * Runs body over [0, n) split into chunks of at least {@code grain} indices, spread across
     * the pool. Returns when every chunk is done; rethrows the first failure.
     */
    public static void range(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int t = threads;
        grain = Math.max(1, grain);
        if (t == 1 || n <= grain || IN_WORKER.get()) {
            body.run(0, n);
            return;
        }
        // A few chunks per thread balances uneven work without much scheduling overhead.
        int chunks = Math.min((n + grain - 1) / grain, t * 4);
        int chunkSize = (n + chunks - 1) / chunks;
        int nChunks = (n + chunkSize - 1) / chunkSize;
        int workers = Math.min(t, nChunks);
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> error = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(workers - 1);
        Runnable worker = () -> {
            int c;
            while (error.get() == null && (c = next.getAndIncrement()) < nChunks) {
                int s = c * chunkSize;
                try {
                    body.run(s, Math.min(n, s + chunkSize));
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            }
        };
        ExecutorService p = pool();
        for (int w = 1; w < workers; w++) {
            p.execute(() -> {
                try {
                    worker.run();
                } finally {
                    done.countDown();
                }
            });
        }
        boolean was = IN_WORKER.get();
        IN_WORKER.set(true);
        try {
            worker.run();
        } finally {
            IN_WORKER.set(was);
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException("interrupted while waiting for parallel work", e);
        }
        Throwable e = error.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error er) throw er;
        if (e != null) throw new RuntimeException(e);
    }

    /** {@link #range(int, int, RangeBody)} with one index per chunk minimum. */
    public static void range(int n, RangeBody body) {
        range(n, 1, body);
    }
}
