package org.medmamba.api;

import org.medmamba.explain.Explanation;

import java.nio.file.Path;

/** One explanation of one input file and where its PNG overlay and .npy map were written. */
public record SavedExplanation(Path file, Explanation explanation, Path png, Path npy) {}
