/**
 * One training run: AdamW with the recipe's exemptions, warm-up + cosine schedule, accumulation,
 * class weights, validation each epoch, atomic checkpoints and exact resume; the epoch records of
 * {@code metrics.jsonl}. Read first: {@link org.medmamba.train.Trainer} and
 * {@link org.medmamba.train.TrainConfig}. Most callers want {@link org.medmamba.api.Training},
 * which checks the data first.
 * <p>May import {@code data.*}, {@code bundle}, {@code io}, {@code model} and below; not
 * {@code eval} (validation scoring comes in as a {@link org.medmamba.train.Validator}).
 */
package org.medmamba.train;
