package org.medmamba.data.loader;

import org.medmamba.data.Dataset;
import org.medmamba.data.image.Image;
import org.medmamba.data.Sample;
import org.medmamba.data.transform.Preprocessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One pass over the data: worker threads decode and preprocess samples straight into a ring of
 * batch buffers, at most {@code prefetch} batches ahead of the consumer, who takes batches in order.
 */
public final class Epoch implements AutoCloseable {
    private final DataLoader loader;
    private final int epoch;
    private final int[] order;
    private final int batches;
    private final float[][] images;
    private final int[][] labels, indices;
    private final int[] filled;
    private final List<Thread> threads = new ArrayList<>();
    private final Preprocessor inline;

    // guarded by this
    private int nextPosition, released, consumed;
    private Throwable failure;
    private boolean closed;

    Epoch(DataLoader loader, int epoch, int[] order) {
        this.loader = loader;
        this.epoch = epoch;
        this.order = order;
        int b = loader.batchSize();
        this.batches = loader.dropLast() ? order.length / b : (order.length + b - 1) / b;
        int ring = Math.max(1, loader.prefetch()), per = loader.preprocessing().floatsPerImage();
        images = new float[ring][b * per];
        labels = new int[ring][b];
        indices = new int[ring][b];
        filled = new int[ring];
        inline = loader.workers() == 0 ? new Preprocessor(loader.preprocessing()) : null;
        for (int t = 0; t < loader.workers(); t++) {
            Thread th = new Thread(this::work, "medmamba-loader-" + t);
            th.setDaemon(true);
            threads.add(th);
        }
        threads.forEach(Thread::start);
    }

    public int batches() {
        return batches;
    }

    public int images() {
        return Math.min(order.length, batches * loader.batchSize());
    }

    public boolean hasNext() {
        synchronized (this) {
            return consumed < batches;
        }
    }

    /** The next batch in order, blocking until it is ready; it stays valid until the following call. */
    public Batch next() {
        int j;
        synchronized (this) {
            if (consumed >= batches) throw new NoSuchElementException("epoch " + epoch + " has " + batches + " batches");
            if (consumed > released) { // the previous batch is given back now
                filled[released % filled.length] = 0;
                released = consumed;
                notifyAll();
            }
            j = consumed;
        }
        int size = batchSize(j), ring = j % filled.length;
        if (inline != null) {
            for (int s = 0; s < size; s++) fill(inline, j * loader.batchSize() + s);
        } else {
            synchronized (this) {
                while (filled[ring] < size && failure == null) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for batch " + j, e);
                    }
                }
                if (failure != null) rethrow(failure);
            }
        }
        synchronized (this) {
            consumed = j + 1;
        }
        var p = loader.preprocessing();
        return new Batch(epoch, j, size, p.channels(), p.height(), p.width(), images[ring], labels[ring], indices[ring]);
    }

    private int batchSize(int j) {
        return Math.min(loader.batchSize(), order.length - j * loader.batchSize());
    }

    private void work() {
        Preprocessor pre = new Preprocessor(loader.preprocessing());
        int limit = batches * loader.batchSize();
        while (true) {
            int k;
            synchronized (this) {
                if (closed || failure != null || nextPosition >= Math.min(limit, order.length)) return;
                k = nextPosition++;
                int j = k / loader.batchSize();
                while (j >= released + filled.length && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) return;
            }
            try {
                fill(pre, k);
            } catch (Throwable e) {
                synchronized (this) {
                    if (failure == null) failure = e;
                    notifyAll();
                }
                return;
            }
            synchronized (this) {
                filled[(k / loader.batchSize()) % filled.length]++;
                notifyAll();
            }
        }
    }

    /** Decodes and preprocesses the sample at epoch position k into its batch slot. */
    private void fill(Preprocessor pre, int k) {
        int j = k / loader.batchSize(), slot = k % loader.batchSize(), ring = j % filled.length;
        int idx = order[k];
        Dataset ds = loader.dataset();
        Sample s = loader.samples().get(idx);
        Image img;
        try {
            img = ds.load(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long seed = Preprocessor.sampleSeed(loader.seed(), epoch, idx);
        pre.apply(img, seed, images[ring], slot * loader.preprocessing().floatsPerImage());
        labels[ring][slot] = s.label();
        indices[ring][slot] = idx;
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(t);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        for (Thread t : threads) {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
