package org.medmamba.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one shared thread pool every kernel uses. The calling thread takes part in the work, and a
 * call made from inside a worker runs serially, so nested parallel loops never deadlock.
 *
 * <p>Hand-off cost matters: a forward pass makes hundreds of parallel calls of 50–500 µs each,
 * and waking a parked thread costs 20–40 µs here. So workers, and the caller waiting for them,
 * spin for a short, bounded time ({@link #SPIN_NANOS}) before they park: back-to-back calls are
 * picked up at once, while an idle pool still sleeps (an unbounded spin collapses as soon as
 * another process holds a core).
 */
public final class Parallel {
    /** Body of a parallel loop over the half-open index range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    static final long SPIN_NANOS = 50_000;
    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);
    /** One caller at a time drives the workers; a concurrent caller runs its loop serially. */
    private static final ReentrantLock DRIVER = new ReentrantLock();
    private static volatile int threads = defaultThreads();
    private static Worker[] workers = new Worker[0];

    private Parallel() {}

    private static int defaultThreads() {
        return KernelConfig.current().threads();
    }

    /** Number of threads parallel loops use (the caller included). */
    public static int threads() {
        return threads;
    }

    /** Sets the thread count for all later parallel loops (1 = serial). */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        DRIVER.lock();
        try {
            if (n == threads && workers.length == n - 1) return;
            for (Worker w : workers) w.retire();
            workers = new Worker[0];
            threads = n;
        } finally {
            DRIVER.unlock();
        }
    }

    /** A parallel loop in flight: chunks are claimed from a shared counter. */
    private static final class Job {
        final RangeBody body;
        final int n, chunkSize, nChunks;
        final AtomicInteger next = new AtomicInteger(), pending;
        final Thread caller;
        volatile Throwable error;

        Job(RangeBody body, int n, int chunkSize, int nChunks, int helpers) {
            this.body = body;
            this.n = n;
            this.chunkSize = chunkSize;
            this.nChunks = nChunks;
            this.pending = new AtomicInteger(helpers);
            this.caller = Thread.currentThread();
        }

        void work() {
            int c;
            while (error == null && (c = next.getAndIncrement()) < nChunks) {
                int s = c * chunkSize;
                try {
                    body.run(s, Math.min(n, s + chunkSize));
                } catch (Throwable e) {
                    if (error == null) error = e;
                }
            }
        }
    }

    private static final class Worker extends Thread {
        private volatile Job job;
        private volatile boolean sleeping, retired;

        Worker(int id) {
            super("medmamba-worker-" + id);
            setDaemon(true);
        }

        void assign(Job j) {
            job = j;
            if (sleeping) LockSupport.unpark(this);   // Dekker pair with the sleeping/job checks in run()
        }

        void retire() {
            retired = true;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            IN_WORKER.set(true);
            while (!retired) {
                Job j;
                long deadline = System.nanoTime() + SPIN_NANOS;
                while ((j = job) == null && !retired) {
                    if (System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    } else {
                        sleeping = true;
                        if (job == null && !retired) LockSupport.park(this);
                        sleeping = false;
                    }
                }
                if (j == null) return;
                job = null;
                try {
                    j.work();
                } finally {
                    if (j.pending.decrementAndGet() == 0) LockSupport.unpark(j.caller);
                }
            }
        }
    }

    private static Worker[] workers(int t) {
        if (workers.length != t - 1) {
            for (Worker w : workers) w.retire();
            Worker[] ws = new Worker[t - 1];
            for (int i = 0; i < ws.length; i++) {
                ws[i] = new Worker(i + 1);
                ws[i].start();
            }
            workers = ws;
        }
        return workers;
    }

    /**
     * Runs body over [0, n) split into chunks of at least {@code grain} indices, spread across
     * the pool. Returns when every chunk is done; rethrows the first failure.
     */
    public static void range(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int t = threads;
        grain = Math.max(1, grain);
        if (t == 1 || n <= grain || IN_WORKER.get() || !DRIVER.tryLock()) {
            body.run(0, n);
            return;
        }
        try {
            // A few chunks per thread balances uneven work without much scheduling overhead.
            int chunks = Math.min((n + grain - 1) / grain, t * 4);
            int chunkSize = (n + chunks - 1) / chunks;
            int nChunks = (n + chunkSize - 1) / chunkSize;
            Worker[] ws = workers(t);
            int helpers = Math.min(ws.length, nChunks - 1);
            Job job = new Job(body, n, chunkSize, nChunks, helpers);
            for (int i = 0; i < helpers; i++) ws[i].assign(job);
            IN_WORKER.set(true);
            try {
                job.work();
            } finally {
                IN_WORKER.set(false);
            }
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (job.pending.get() > 0) {
                if (System.nanoTime() < deadline) Thread.onSpinWait();
                else LockSupport.parkNanos(job, 1_000_000);
            }
            Throwable e = job.error;
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error er) throw er;
            if (e != null) throw new RuntimeException(e);
        } finally {
            DRIVER.unlock();
        }
    }

    /** {@link #range(int, int, RangeBody)} with one index per chunk minimum. */
    public static void range(int n, RangeBody body) {
        range(n, 1, body);
    }
}
