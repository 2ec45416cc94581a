package org.medmamba.serve;

import org.medmamba.api.Classifier;
import org.medmamba.api.Prediction;
import org.medmamba.data.image.Image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Dynamic batching for one model (as Triton's max_queue_delay, DJL's max_batch_delay): images of
 * concurrent requests are run as one forward pass of up to maxBatch images; the first image of a
 * batch waits at most maxWait for others. At most {@code queue} images are admitted (waiting or
 * running), so memory is bounded however many clients connect; {@link #submit} says no beyond that.
 */
final class Batcher implements AutoCloseable {
    /** One request's images, prepared for one classifier version; done gets one prediction per image. */
    private static final class Job {
        final Classifier classifier;
        final List<Image> images;
        final Prediction[] results;
        final CompletableFuture<List<Prediction>> done = new CompletableFuture<>();
        int remaining;

        Job(Classifier c, List<Image> images) {
            this.classifier = c;
            this.images = images;
            this.results = new Prediction[images.size()];
            this.remaining = images.size();
        }
    }

    private record Item(Job job, int index) {}

    private final int maxBatch;
    private final long maxWaitNanos;
    private final int capacity;
    private final Semaphore admitted;
    private final LinkedBlockingDeque<Item> queue = new LinkedBlockingDeque<>();
    private final IntConsumer batchSizes;
    private final Thread worker;
    private volatile boolean closed;

    Batcher(String name, int maxBatch, int maxWaitMs, int queue, IntConsumer batchSizes) {
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.capacity = queue;
        this.admitted = new Semaphore(queue);
        this.batchSizes = batchSizes;
        this.worker = Thread.ofPlatform().name("batcher-" + name).daemon().start(this::loop);
    }

    int capacity() {
        return capacity;
    }

    /** Images admitted and not yet answered: waiting (also the first of a batch being gathered) or in the forward pass. */
    int depth() {
        return capacity - admitted.availablePermits();
    }

    /** Queues a request's images; null when the queue cannot take them now (the caller answers 429). */
    CompletableFuture<List<Prediction>> submit(Classifier c, List<Image> images) {
        if (images.isEmpty()) return CompletableFuture.completedFuture(List.of());
        if (closed || !admitted.tryAcquire(images.size())) return null;
        Job job = new Job(c, images);
        for (int i = 0; i < images.size(); i++) queue.add(new Item(job, i));
        return job.done;
    }

    private void loop() {
        List<Item> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Item first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Item next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) break;
                    if (next.job.classifier != first.job.classifier) {   // a reload in between: that one starts the next batch
                        queue.addFirst(next);
                        break;
                    }
                    batch.add(next);
                }
                run(first.job.classifier, batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                admitted.release(batch.size());
                batch.clear();
            }
        }
    }

    private void run(Classifier c, List<Item> batch) {
        List<Image> images = new ArrayList<>(batch.size());
        for (Item it : batch) images.add(it.job.images.get(it.index));
        List<Prediction> preds;
        try {
            preds = c.predictPrepared(images);
        } catch (RuntimeException | Error e) {
            for (Item it : batch) it.job.done.completeExceptionally(e);
            return;
        }
        batchSizes.accept(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Job j = batch.get(i).job;
            j.results[batch.get(i).index] = preds.get(i);
            if (--j.remaining == 0) j.done.complete(Arrays.asList(j.results));
        }
    }

    /** Stops taking images; those queued are still run. */
    @Override
    public void close() {
        closed = true;
        try {
            worker.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
