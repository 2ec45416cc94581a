package org.medmamba.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What a list of files and folders stands for ({@link Classifier#inputs}): the files to predict, in
 * order, and the files the folder search passed over with the reason (not an image, a DICOM
 * object without pixel data).
 */
public record InputFiles(List<Path> files, List<Skipped> skipped) {
    public record Skipped(Path file, String reason) {}

    public InputFiles {
        files = List.copyOf(files);
        skipped = List.copyOf(skipped);
    }
}
