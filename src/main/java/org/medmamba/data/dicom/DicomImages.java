package org.medmamba.data.dicom;

import org.medmamba.data.image.Image;
import org.medmamba.io.BadFileException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DICOM files as model inputs: detection, and frames decoded to {@link Image}s. Any failure,
 * including an unexpected one inside a decoder, surfaces as a one-line {@link BadFileException}.
 */
public final class DicomImages {
    private DicomImages() {}

    /** Media Storage Directory Storage: the SOP class of DICOMDIR files. */
    static final String DIRECTORY_SOP_CLASS = "1.2.840.10008.1.3.10";

    /**
     * By extension (.dcm, .dicom) or by the "DICM" marker. DICOMDIR files (an index, no pixels) are
     * excluded, by name or by their media storage SOP class.
     */
    public static boolean isDicom(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.equals("dicomdir")) return false;
        if (!(n.endsWith(".dcm") || n.endsWith(".dicom") || DicomReader.hasMagic(p))) return false;
        DicomDataset meta = DicomReader.readMeta(p);
        return meta == null || !DIRECTORY_SOP_CLASS.equals(meta.string(DicomDictionary.MEDIA_STORAGE_SOP_CLASS_UID));
    }

    /** Parses the file and prepares its pixel data for decoding. */
    public static PixelDecoder open(Path path) throws IOException {
        return guard(path, () -> new PixelDecoder(DicomReader.read(path)));
    }

    /** The same for a file in memory (name is for messages). */
    public static PixelDecoder open(Path name, byte[] bytes) throws IOException {
        return guard(name, () -> new PixelDecoder(DicomReader.read(name, bytes)));
    }

    public static Image frame(PixelDecoder dec, int k) throws IOException {
        return guard(dec.file().path(), () -> Photometric.toImage(dec, dec.frame(k)));
    }

    public static Image readFirst(Path path) throws IOException {
        return frame(open(path), 0);
    }

    public static List<Image> readAll(Path path) throws IOException {
        PixelDecoder dec = open(path);
        List<Image> out = new ArrayList<>();
        for (int k = 0; k < dec.module().frames(); k++) out.add(frame(dec, k));
        return out;
    }

    public interface Io<T> {
        T get() throws IOException;
    }

    public static <T> T guard(Path name, Io<T> body) throws IOException {
        try {
            return body.get();
        } catch (IOException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new BadFileException(name, "not enough memory to decode");
        } catch (RuntimeException e) {
            throw new BadFileException(name, "malformed DICOM data (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }
}
