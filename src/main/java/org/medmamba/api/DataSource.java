package org.medmamba.api;

import org.medmamba.data.Dataset;
import org.medmamba.data.Datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where labelled images come from: an image-folder root ({@code root/<class>/*.png}, optionally
 * under train/, val/, test/), a CSV manifest ({@code path,label[,split][,group]}), a MedMNIST
 * {@code .npz}, or a folder of DICOM files labelled by a tag.
 *
 * @param labelTag null, or the DICOM tag (keyword such as {@code BodyPartExamined}, or
 *                 {@code GGGG,EEEE}) that labels a folder of DICOM files
 */
public record DataSource(Path path, String labelTag) {
    public DataSource {
        Objects.requireNonNull(path, "path");
    }

    /** Image folders, a CSV manifest or an .npz, recognised by what path is. */
    public static DataSource of(Path path) {
        return new DataSource(path, null);
    }

    /** A folder of DICOM files, each labelled by the value of a tag. */
    public static DataSource dicom(Path folder, String labelTag) {
        return new DataSource(folder, Objects.requireNonNull(labelTag, "labelTag"));
    }

    /** Lists the samples (nothing is decoded yet). */
    public Dataset open() throws MedMambaException {
        try {
            return Datasets.open(path, labelTag);
        } catch (IOException | RuntimeException e) {
            throw MedMambaException.of(path, e);
        }
    }

    @Override
    public String toString() {
        return labelTag == null ? path.toString() : path + " (labelled by " + labelTag + ")";
    }
}
