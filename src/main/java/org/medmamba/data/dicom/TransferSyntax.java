package org.medmamba.data.dicom;

import java.util.Map;

/** A transfer syntax: how the dataset is encoded and how the pixel data is compressed. */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean bigEndian, boolean deflated,
                             boolean encapsulated, Codec codec) {
    /** How the pixel data of a syntax is decoded. */
    public enum Codec { NATIVE, JPEG, JPEG_LS, JPEG_2000, RLE, UNKNOWN }

    public static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    private static final Map<String, TransferSyntax> KNOWN = Map.ofEntries(
            e(IMPLICIT_LE, "Implicit VR Little Endian", false, false, false, false, Codec.NATIVE),
            e(EXPLICIT_LE, "Explicit VR Little Endian", true, false, false, false, Codec.NATIVE),
            e("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false, Codec.NATIVE),
            e("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false, Codec.NATIVE),
            e("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, false, true, Codec.JPEG),
            e("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 and 4)", true, false, false, true, Codec.JPEG),
            e("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, false, false, true, Codec.JPEG),
            e("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
                    true, false, false, true, Codec.JPEG),
            e("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", true, false, false, true, Codec.JPEG_LS),
            e("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", true, false, false, true, Codec.JPEG_LS),
            e("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", true, false, false, true, Codec.JPEG_2000),
            e("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", true, false, false, true, Codec.JPEG_2000),
            e("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, true, Codec.RLE));

    private static Map.Entry<String, TransferSyntax> e(String uid, String name, boolean explicit, boolean big, boolean deflated,
                                                       boolean encapsulated, Codec codec) {
        return Map.entry(uid, new TransferSyntax(uid, name, explicit, big, deflated, encapsulated, codec));
    }

    /**
     * The syntax for a UID. Unknown UIDs are parsed as explicit VR little endian (what every
     * syntax after the first three uses), possibly encapsulated; their pixel data is refused.
     */
    public static TransferSyntax of(String uid) {
        TransferSyntax t = KNOWN.get(uid);
        return t != null ? t : new TransferSyntax(uid, "unknown", true, false, false, true, Codec.UNKNOWN);
    }

    /** "UID (name)" for messages. */
    public String describe() {
        return uid + " (" + name + ")";
    }
}
