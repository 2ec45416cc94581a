/**
 * Medical classification metrics as scikit-learn computes them (accuracy, balanced accuracy,
 * per-class and macro sensitivity/specificity/precision/F1, kappa, one-vs-rest AUC, ROC,
 * precision–recall and average precision), operating points at thresholds,
 * bootstrap, calibration, batched prediction with a bundle's preprocessing, activation memory.
 * Read first: {@link org.medmamba.eval.Metrics} and {@link org.medmamba.eval.Predictor}.
 * <p>May import {@code train} and below; {@code train} gets its validation score from here
 * through {@link org.medmamba.train.Validator}, never by importing it.
 */
package org.medmamba.eval;
