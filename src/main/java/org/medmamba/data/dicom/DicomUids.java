package org.medmamba.data.dicom;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * UIDs for objects this program creates, under the root 2.25 (PS3.5 B.2: a UUID written as one
 * unsigned decimal integer), so no organisation root has to be registered.
 */
public final class DicomUids {
    /** The ImplementationClassUID (0002,0012) of files we write: 2.25 + the name-based UUID of "org.medmamba". */
    public static final String IMPLEMENTATION_CLASS_UID = of(UUID.nameUUIDFromBytes("org.medmamba".getBytes(StandardCharsets.US_ASCII)));
    /** ImplementationVersionName (0002,0013), at most 16 characters. */
    public static final String IMPLEMENTATION_VERSION_NAME = "MEDMAMBA_JAVA";

    private DicomUids() {}

    /** A new random UID (2.25.&lt;random UUID as an integer&gt;, at most 44 characters). */
    public static String random() {
        return of(UUID.randomUUID());
    }

    /** 2.25.&lt;the UUID's 128 bits as an unsigned integer&gt;. */
    public static String of(UUID u) {
        BigInteger hi = new BigInteger(Long.toUnsignedString(u.getMostSignificantBits()));
        BigInteger lo = new BigInteger(Long.toUnsignedString(u.getLeastSignificantBits()));
        return "2.25." + hi.shiftLeft(64).or(lo);
    }
}
