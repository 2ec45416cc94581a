package org.medmamba.api;

import org.medmamba.data.dicom.DicomDictionary;
import org.medmamba.data.dicom.DicomImages;
import org.medmamba.data.dicom.PixelDecoder;
import org.medmamba.data.dicom.PixelModule;
import org.medmamba.data.dicom.PixelStats;
import org.medmamba.data.dicom.TransferSyntax;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The image facts of a DICOM file and statistics of its stored pixel values (every frame
 * decoded): what {@code ./medmamba inspect} prints.
 *
 * @param transferSyntaxUid  e.g. 1.2.840.10008.1.2.4.50
 * @param transferSyntax     its name, e.g. "JPEG Baseline (Process 1)"
 * @param modality           "" when the file has none
 * @param min                smallest stored value over all frames (before any rescale)
 */
public record Inspection(Path file, int rows, int cols, int frames, String modality, String photometric,
                         String transferSyntaxUid, String transferSyntax, int bitsStored, int pixelRepresentation,
                         long min, long max, double mean) {

    /** Decodes every frame of a DICOM file. */
    public static Inspection of(Path file) throws MedMambaException {
        try {
            PixelDecoder dec = DicomImages.open(file);
            PixelModule pm = dec.module();
            PixelStats s = PixelStats.of(dec);
            TransferSyntax ts = dec.file().transferSyntax();
            String modality = dec.file().dataset().string(DicomDictionary.MODALITY);
            return new Inspection(file, pm.rows(), pm.cols(), pm.frames(), modality == null ? "" : modality, pm.photometric(),
                    ts.uid(), ts.describe(), pm.bitsStored(), pm.pixelRepresentation(), s.min(), s.max(), s.mean());
        } catch (IOException | RuntimeException e) {
            throw MedMambaException.of(file, e);
        }
    }

    /** Stored values are two's-complement signed (pixel representation 1). */
    public boolean signed() {
        return pixelRepresentation == 1;
    }
}
