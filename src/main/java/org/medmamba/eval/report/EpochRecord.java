package org.medmamba.eval.report;

/** One epoch of a training run, one JSON line of RUN_DIR/metrics.jsonl. */
public record EpochRecord(int epoch, double trainLoss, double valLoss, double valAccuracy, double valAuc, double lr, double seconds) {}
