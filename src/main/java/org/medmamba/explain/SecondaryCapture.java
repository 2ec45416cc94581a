package org.medmamba.explain;

import org.medmamba.data.dicom.DicomDataset;
import org.medmamba.data.dicom.DicomDictionary;
import org.medmamba.data.dicom.DicomUids;
import org.medmamba.data.dicom.DicomWriter;
import org.medmamba.io.Software;

import java.awt.image.BufferedImage;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * An explanation overlay as a DICOM Secondary Capture Image (PS3.3 A.8.1), so it can go back to
 * the PACS beside the image it explains: same patient and study (identification copied, the
 * source's Study Instance UID), a new series and instance, RGB 8-bit pixels of the rendered
 * overlay, and a Source Image Sequence pointing at the explained image (and frame).
 * Modules: Patient, General Study, General Series (Modality OT), General Equipment, SC Equipment
 * (Conversion Type WSD: made on a workstation), General Image, General Reference, Image Pixel,
 * SC Image, SOP Common.
 */
public final class SecondaryCapture {
    /** Secondary Capture Image Storage. */
    public static final String SOP_CLASS_UID = "1.2.840.10008.5.1.4.1.1.7";
    static final String MANUFACTURER = "MedMamba for Java";
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);

    /**
     * SOP classes whose IOD has one frame (CR, CT, MR, US, SC, DX, MG): a frame number in a reference
     * to them is invalid (PS3.3 C.12.4), even when the file has Number of Frames anyway (old files do).
     */
    static final java.util.Set<String> SINGLE_FRAME_CLASSES = java.util.Set.of("1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.2",
            "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.1.1",
            "1.2.840.10008.5.1.4.1.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.2", "1.2.840.10008.5.1.4.1.1.1.2.1");

    private SecondaryCapture() {}

    /** ACR-NEMA dates (1995.06.26) and times (11:20:00), still found in old files, in today's DA/TM form; other values as they are. */
    static String modernise(String vr, String v) {
        if (v == null) return null;
        if (vr.equals("DA") && v.matches("\\d{4}\\.\\d{2}\\.\\d{2}")) return v.replace(".", "");
        if (vr.equals("TM") && v.matches("\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?")) return v.replace(":", "");
        return v;
    }

    /**
     * The dataset for one overlay.
     *
     * @param source      the explained file's dataset (its header is enough)
     * @param frame       the explained frame (0-based) of a multi-frame source, −1 for a single-frame one
     * @param overlay     the rendered overlay ({@link Overlay#render}), written pixel for pixel
     * @param seriesUid   the new series this overlay belongs to
     * @param instanceUid this object's SOP Instance UID
     * @param seriesNumber its Series Number
     * @param instance    its Instance Number (1-based)
     * @param now         creation time (local, as DICOM dates are)
     */
    public static DicomWriter of(DicomDataset source, int frame, BufferedImage overlay, Explanation e,
                                 String seriesUid, int seriesNumber, String instanceUid, int instance, LocalDateTime now) {
        if (instance < 1) throw new IllegalArgumentException("instance number must be >= 1, got " + instance);
        DicomWriter d = new DicomWriter();
        String charset = source.string(DicomDictionary.SPECIFIC_CHARACTER_SET);
        if (charset != null && !charset.isEmpty()) d.text(DicomDictionary.SPECIFIC_CHARACTER_SET, "CS", charset);
        // copied byte for byte: string() decodes ISO 8859-1, which maps every byte to one char and back
        for (int tag : DicomDictionary.PATIENT_STUDY_IDENTIFICATION) {
            String vr = DicomDictionary.knownVr(tag);
            d.text(tag, vr, modernise(vr, source.string(tag)));
        }
        String study = source.string(DicomDictionary.STUDY_INSTANCE_UID);
        d.text(DicomDictionary.STUDY_INSTANCE_UID, "UI", study == null || study.isEmpty() ? DicomUids.random() : study);
        String date = now.format(DA), time = now.format(TM);
        String software = Software.version();
        d.text(0x00080008, "CS", "DERIVED\\SECONDARY")
                .text(0x00080012, "DA", date).text(0x00080013, "TM", time)
                .text(DicomDictionary.SOP_CLASS_UID, "UI", SOP_CLASS_UID)
                .text(DicomDictionary.SOP_INSTANCE_UID, "UI", instanceUid)
                .text(0x00080023, "DA", date).text(0x00080033, "TM", time)
                .text(DicomDictionary.MODALITY, "CS", "OT")
                .text(0x00080064, "CS", "WSD")
                .text(0x00080070, "LO", MANUFACTURER)
                .text(0x0008103E, "LO", clip("MedMamba explanation: " + e.method(), 64))
                .text(0x00082111, "ST", clip(String.format(Locale.ROOT, "%s map of class %s (p=%.4f) over the model input; medmamba %s",
                        e.method(), e.label(), e.probability(), software), 1024))
                .text(0x00181012, "DA", date).text(0x00181014, "TM", time)
                .text(0x00181016, "LO", MANUFACTURER)
                .text(0x00181019, "LO", clip(software, 64))
                .text(0x00181020, "LO", clip(software, 64))
                .text(DicomDictionary.SERIES_INSTANCE_UID, "UI", seriesUid)
                .text(0x00200011, "IS", Integer.toString(seriesNumber))
                .text(0x00200060, "CS", source.string(0x00200060))   // 2C (paired body parts): the source's, or empty
                .text(0x00200013, "IS", Integer.toString(instance))
                .text(0x00200020, "CS", "")
                .text(0x00280301, "CS", "NO");   // the burned-in text is class, probability and method: nothing that identifies the patient
        String srcClass = source.string(DicomDictionary.SOP_CLASS_UID), srcInstance = source.string(DicomDictionary.SOP_INSTANCE_UID);
        if (srcClass != null && !srcClass.isEmpty() && srcInstance != null && !srcInstance.isEmpty()) {
            DicomWriter purpose = new DicomWriter().text(0x00080100, "SH", "121322").text(0x00080102, "SH", "DCM")
                    .text(0x00080104, "LO", "Source image for image processing operation");
            DicomWriter ref = new DicomWriter().text(0x00081150, "UI", srcClass).text(0x00081155, "UI", srcInstance)
                    .sequence(0x0040A170, List.of(purpose));
            if (frame >= 0 && !SINGLE_FRAME_CLASSES.contains(srcClass))
                ref.text(0x00081160, "IS", Integer.toString(frame + 1));   // DICOM frame numbers start at 1
            d.sequence(0x00082112, List.of(ref));
        }
        int h = overlay.getHeight(), w = overlay.getWidth();
        if (h > 0xffff || w > 0xffff) throw new IllegalArgumentException("overlay too large for DICOM: " + w + "x" + h);
        d.u16(DicomDictionary.SAMPLES_PER_PIXEL, 3)
                .text(DicomDictionary.PHOTOMETRIC, "CS", "RGB")
                .u16(DicomDictionary.PLANAR_CONFIGURATION, 0)
                .u16(DicomDictionary.ROWS, h).u16(DicomDictionary.COLUMNS, w)
                .u16(DicomDictionary.BITS_ALLOCATED, 8).u16(DicomDictionary.BITS_STORED, 8).u16(DicomDictionary.HIGH_BIT, 7)
                .u16(DicomDictionary.PIXEL_REPRESENTATION, 0)
                .bytes(DicomDictionary.PIXEL_DATA, "OB", rgb(overlay));
        return d;
    }

    /** Pixel-interleaved R, G, B bytes, row by row (Planar Configuration 0). */
    static byte[] rgb(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth();
        byte[] out = new byte[3 * h * w];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x), v = row[x];
                out[i] = (byte) (v >>> 16);
                out[i + 1] = (byte) (v >>> 8);
                out[i + 2] = (byte) v;
            }
        }
        return out;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
