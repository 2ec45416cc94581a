package org.medmamba.api;

import org.medmamba.explain.Explanation;

import java.nio.file.Path;

/**
 * One explanation of one input file (one frame of a multi-frame file) and where its PNG overlay,
 * .npy map and, with {@code --dicom-out}, DICOM Secondary Capture were written.
 *
 * @param frame 0-based frame of a multi-frame file, −1 for a single-image file
 * @param dicom null unless a Secondary Capture was written (DICOM input and dicomOut)
 */
public record SavedExplanation(Path file, int frame, Explanation explanation, Path png, Path npy, Path dicom) {
    /** A single-image file's explanation without a DICOM copy. */
    public SavedExplanation(Path file, Explanation explanation, Path png, Path npy) {
        this(file, -1, explanation, png, npy, null);
    }
}
