package org.medmamba.api;

import java.nio.file.Path;

/**
 * One row of {@link Classifier#predictEach}: a file (or one frame of a multi-frame DICOM file) and
 * either its prediction or the one-line reason it could not be read.
 *
 * @param frame 0-based frame of a multi-frame file, -1 for a single-image file
 * @param error null when prediction is set; else "FILE: problem"
 */
public record FilePrediction(Path file, int frame, Prediction prediction, String error) {
    public FilePrediction {
        if ((prediction == null) == (error == null)) throw new IllegalArgumentException("exactly one of prediction and error");
    }

    public boolean ok() {
        return prediction != null;
    }

    /** "FILE" or "FILE [frame K]". */
    public String name() {
        return frame < 0 ? file.toString() : file + " [frame " + frame + "]";
    }
}
