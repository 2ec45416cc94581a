package org.medmamba.data;

import org.medmamba.io.BadFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Opens a dataset by what the path is: a folder of class folders or of IDX files, a .csv manifest or a MedMNIST .npz. */
public final class Datasets {
    private Datasets() {}

    /**
     * With a label tag (keyword such as BodyPartExamined, or GGGG,EEEE) the path must be a folder of
     * DICOM files, labelled by that tag's value; without one, as {@link #open(Path)}.
     */
    public static Dataset open(Path path, String labelTag) throws IOException {
        if (labelTag == null) return open(path);
        if (!Files.isDirectory(path)) throw new BadFileException(path, "labelling by a DICOM tag needs a folder of DICOM files");
        return new org.medmamba.data.DicomTagDataset(path, labelTag);
    }

    public static Dataset open(Path path) throws IOException {
        if (Files.isDirectory(path)) return IdxDataset.holdsIdx(path) ? IdxDataset.open(path) : ImageFolderDataset.open(path);
        if (!Files.exists(path)) throw new BadFileException(path, "no such file or folder");
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) return CsvManifestDataset.open(path);
        if (name.endsWith(".npz")) return NpzDataset.open(path);
        throw new BadFileException(path, "not a dataset (expected a folder of class folders, a .csv manifest or a MedMNIST .npz)");
    }

    /** "image folders", "CSV manifest" or "MedMNIST .npz", for reports. */
    public static String kind(Dataset d) {
        return switch (d) {
            case ImageFolderDataset f -> "image folders";
            case CsvManifestDataset c -> "CSV manifest";
            case NpzDataset n -> "MedMNIST .npz";
            case IdxDataset x -> "IDX (MNIST format)";
            case SubsetDataset s -> kind(s.base());
            case org.medmamba.data.DicomTagDataset t -> "DICOM folder labelled by a tag";
            default -> d.getClass().getSimpleName();
        };
    }

    /** The folder sample paths are relative to: the image-folder root or the manifest's folder; null for .npz. */
    public static Path root(Dataset d) {
        return switch (d) {
            case ImageFolderDataset f -> f.root();
            case CsvManifestDataset c -> c.csv().toAbsolutePath().getParent();
            case SubsetDataset s -> root(s.base());
            case org.medmamba.data.DicomTagDataset t -> t.folder();
            default -> null;
        };
    }
}
