package org.medmamba.train;

import org.medmamba.eval.Metrics;
import org.medmamba.eval.report.EpochRecord;

/** What a training run reports as it goes (the CLI draws progress bars from it). */
public interface TrainListener {
    /** After each batch of the epoch's training pass. */
    default void batch(int epoch, int epochs, int done, int total, double imagesPerS, double loss) {}

    /** Before validation starts. */
    default void validating(int epoch, int images) {}

    /** After an epoch, with its validation metrics; improved says whether best.mmb was written. */
    default void epoch(EpochRecord record, Metrics validation, boolean improved) {}

    default void message(String line) {}

    TrainListener SILENT = new TrainListener() {};
}
