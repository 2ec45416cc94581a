/**
 * The Java API: every capability of MedMamba as a library call; the CLI only maps flags onto it.
 * Read first: {@link org.medmamba.api.Classifier} (load a bundle, classify files or images) and
 * {@link org.medmamba.api.Training} (train on a dataset, exactly as {@code ./medmamba train});
 * then {@link org.medmamba.api.Evaluator}, {@link org.medmamba.api.TorchImport},
 * {@link org.medmamba.api.Demo}, {@link org.medmamba.api.ModelInfo}, {@link org.medmamba.api.Inspection},
 * {@link org.medmamba.api.DatasetSummary}, {@link org.medmamba.api.DatasetSplit}. Failures about a file are
 * {@link org.medmamba.api.MedMambaException} (one line naming the file); invalid settings are
 * {@link org.medmamba.io.SettingException} naming the setting.
 * <p>May import every package below it (tensor … eval.report); never {@code cli}.
 */
package org.medmamba.api;
