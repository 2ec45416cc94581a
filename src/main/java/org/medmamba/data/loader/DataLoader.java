package org.medmamba.data.loader;

import org.medmamba.data.Dataset;
import org.medmamba.data.Sample;
import org.medmamba.data.transform.Preprocessing;
import org.medmamba.data.transform.Preprocessor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Batches of preprocessed samples from a dataset, decoded and augmented ahead of the model by
 * {@code workers} threads ({@code 0}: in the caller's thread). The order of an epoch is a seeded
 * shuffle of (seed, epoch) and each sample's augmentation depends only on (seed, epoch, sample), so
 * batches are identical whatever the worker count.
 *
 * @param samples  the samples to iterate (e.g. one split); labels and files come from these
 * @param prefetch batch buffers in the ring: how far workers may run ahead (≥ 1)
 */
public record DataLoader(Dataset dataset, List<Sample> samples, Preprocessing preprocessing, int batchSize,
                         boolean shuffle, boolean dropLast, long seed, int workers, int prefetch) {
    public DataLoader {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1");
        if (workers < 0) throw new IllegalArgumentException("workers must be >= 0");
        if (prefetch < 1) throw new IllegalArgumentException("prefetch must be >= 1");
        samples = List.copyOf(samples);
    }

    /** Starts one epoch; close it (try-with-resources) to stop its workers early. */
    public Epoch epoch(int epoch) {
        int n = samples.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(Preprocessor.sampleSeed(seed, epoch, -1));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return new Epoch(this, epoch, order);
    }
}
