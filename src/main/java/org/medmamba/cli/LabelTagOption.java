package org.medmamba.cli;

import org.medmamba.api.DataSource;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --label-tag}, shared by the commands that read a dataset (a picocli mixin). */
final class LabelTagOption {
    @Option(names = "--label-tag", paramLabel = "TAG",
            description = "PATH is a folder of DICOM files labelled by this tag (keyword such as BodyPartExamined, or GGGG,EEEE).")
    String labelTag;

    DataSource source(Path path) {
        return new DataSource(path, labelTag);
    }
}
