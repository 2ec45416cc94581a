package org.medmamba.data;

import java.nio.file.Path;

/**
 * One item of a dataset.
 *
 * @param file  where its pixels live (an image, a DICOM file, or the .npz archive)
 * @param index which image inside that file: a DICOM frame or a row of a MedMNIST array; 0 otherwise
 * @param label class index into {@link Dataset#classes()}
 * @param split "train", "val", "test", or "" when the source does not say
 * @param group what must stay on one side of a split (a patient, series or volume); defaults to the file
 */
public record Sample(Path file, int index, int label, String split, String group) {}
