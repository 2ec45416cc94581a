package org.medmamba.train;


/** What a training run reports as it goes (the CLI draws progress bars from it). */
public interface TrainListener {
    /** While every image is decoded once before training (the dataset check). */
    default void checking(int done, int total) {}

    /** After the dataset check. */
    default void checked() {}

    /** After each batch of the epoch's training pass. */
    default void batch(int epoch, int epochs, int done, int total, double imagesPerS, double loss) {}

    /** Before validation starts. */
    default void validating(int epoch, int images) {}

    /** After an epoch, with its validation numbers; improved says whether best.mmb was written. */
    default void epoch(EpochRecord record, boolean improved) {}

    default void message(String line) {}

    TrainListener SILENT = new TrainListener() {};
}
