package org.medmamba.api;

import org.medmamba.data.ImageFiles;
import org.medmamba.data.dicom.DicomDataset;
import org.medmamba.data.dicom.DicomDictionary;
import org.medmamba.data.dicom.DicomImages;
import org.medmamba.data.dicom.PixelDecoder;
import org.medmamba.data.dicom.PixelModule;
import org.medmamba.data.dicom.PixelStats;
import org.medmamba.data.dicom.TransferSyntax;
import org.medmamba.data.image.Image;
import org.medmamba.io.Limits;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The facts of an image file — DICOM or PNG/JPEG/BMP/GIF/TIFF — and statistics of its stored
 * sample values (every DICOM frame decoded): what {@code ./medmamba inspect} prints.
 *
 * @param format             "DICOM", or the image format ("png", "jpeg", …)
 * @param channels           samples per pixel (1 gray, 3 colour)
 * @param photometric        DICOM's photometric interpretation; for images MONOCHROME2 or RGB as MedMamba reads them
 * @param transferSyntaxUid  DICOM only (else null), e.g. 1.2.840.10008.1.2.4.50
 * @param transferSyntax     its name, e.g. "JPEG Baseline (Process 1)"; null for images
 * @param modality           "" when the file has none
 * @param bitsStored         bits per stored sample
 * @param pixelRepresentation 1 for signed DICOM samples, else 0
 * @param min                smallest stored value over all frames (before any rescale)
 * @param pixelSpacing       row and column spacing in mm (PixelSpacing, else ImagerPixelSpacing); null when absent
 * @param sliceThickness     mm; NaN when absent
 * @param orientation        ImageOrientationPatient: row and column direction cosines (6 values); null when absent
 * @param position           ImagePositionPatient (x, y, z in mm); null when absent
 * @param window             first WindowCenter and WindowWidth; null when absent
 * @param rescale            RescaleSlope and RescaleIntercept; null when absent
 */
public record Inspection(Path file, String format, int rows, int cols, int frames, int channels, String modality, String photometric,
                         String transferSyntaxUid, String transferSyntax, int bitsStored, int pixelRepresentation,
                         long min, long max, double mean,
                         double[] pixelSpacing, double sliceThickness, double[] orientation, double[] position,
                         double[] window, double[] rescale) {

    static final int PIXEL_SPACING = 0x00280030, IMAGER_PIXEL_SPACING = 0x00181164, SLICE_THICKNESS = 0x00180050,
            ORIENTATION = 0x00200037, POSITION = 0x00200032;

    /** A DICOM file (every frame decoded) or an ordinary image. */
    public static Inspection of(Path file) throws MedMambaException {
        try {
            org.medmamba.io.BadFileException.requireRegularFile(file);
            if (!ImageFiles.isImage(file) && DicomImages.isDicom(file)) return dicom(file);
            return image(file);
        } catch (IOException | RuntimeException e) {
            throw MedMambaException.of(file, e);
        }
    }

    private static Inspection dicom(Path file) throws IOException {
        PixelDecoder dec = DicomImages.open(file);
        PixelModule pm = dec.module();
        PixelStats s = PixelStats.of(dec);
        TransferSyntax ts = dec.file().transferSyntax();
        DicomDataset d = dec.file().dataset();
        String modality = d.string(DicomDictionary.MODALITY);
        double[] spacing = decimals(d, PIXEL_SPACING, 2);
        if (spacing == null) spacing = decimals(d, IMAGER_PIXEL_SPACING, 2);
        double[] window = null, rescale = null;
        double c = d.decimal(DicomDictionary.WINDOW_CENTER, Double.NaN), w = d.decimal(DicomDictionary.WINDOW_WIDTH, Double.NaN);
        if (!Double.isNaN(c) && !Double.isNaN(w)) window = new double[]{c, w};
        if (d.contains(DicomDictionary.RESCALE_SLOPE) || d.contains(DicomDictionary.RESCALE_INTERCEPT))
            rescale = new double[]{d.decimal(DicomDictionary.RESCALE_SLOPE, 1), d.decimal(DicomDictionary.RESCALE_INTERCEPT, 0)};
        return new Inspection(file, "DICOM", pm.rows(), pm.cols(), pm.frames(), pm.samplesPerPixel(), modality == null ? "" : modality,
                pm.photometric(), ts.uid(), ts.describe(), pm.bitsStored(), pm.pixelRepresentation(), s.min(), s.max(), s.mean(),
                spacing, d.decimal(SLICE_THICKNESS, Double.NaN), decimals(d, ORIENTATION, 6), decimals(d, POSITION, 3), window, rescale);
    }

    /** Header facts from the ImageIO reader; statistics of the samples as MedMamba decodes them (gray kept, colour as 8-bit sRGB). */
    private static Inspection image(Path file) throws IOException {
        String format = "unknown";
        int bits = 8;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> it = in == null ? null : ImageIO.getImageReaders(in);
            if (it != null && it.hasNext()) {
                ImageReader r = it.next();
                try {
                    format = r.getFormatName().toLowerCase(java.util.Locale.ROOT);
                    r.setInput(in, true, true);
                    var type = r.getRawImageType(0);
                    if (type != null && type.getNumBands() == 1) bits = type.getSampleModel().getSampleSize(0);
                } catch (IOException | RuntimeException ignored) {
                    // the decode below gives the one-line reason
                } finally {
                    r.dispose();
                }
            }
        }
        Limits.current().checkFileSize(file);
        Image img = ImageFiles.read(file);
        if (img.channels() != 1) bits = 8;
        double scale = (1L << bits) - 1;
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        double sum = 0;
        for (float v : img.data()) {
            long q = Math.round(v * scale);
            min = Math.min(min, q);
            max = Math.max(max, q);
            sum += q;
        }
        return new Inspection(file, format, img.height(), img.width(), 1, img.channels(), "", img.channels() == 1 ? "MONOCHROME2" : "RGB",
                null, null, bits, 0, min, max, sum / img.data().length, null, Double.NaN, null, null, null, null);
    }

    private static double[] decimals(DicomDataset d, int tag, int n) {
        String s = d.string(tag);
        if (s == null || s.isBlank()) return null;
        String[] parts = s.split("\\\\");
        if (parts.length < n) return null;
        double[] out = new double[n];
        try {
            for (int i = 0; i < n; i++) out[i] = Double.parseDouble(parts[i].trim());
        } catch (NumberFormatException e) {
            return null;   // a malformed decimal string is reported as absent, not as a failure of the file
        }
        return out;
    }

    /** Stored values are two's-complement signed (pixel representation 1). */
    public boolean signed() {
        return pixelRepresentation == 1;
    }

    public boolean dicom() {
        return "DICOM".equals(format);
    }

    @Override
    public String toString() {
        return "Inspection[" + file + ", " + format + " " + rows + "x" + cols + "x" + channels + ", " + frames + " frames, spacing "
                + Arrays.toString(pixelSpacing) + "]";
    }
}
