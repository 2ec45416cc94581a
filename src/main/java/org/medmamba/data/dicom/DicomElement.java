package org.medmamba.data.dicom;

import java.util.List;

/**
 * One data element: its value is a slice of the file's bytes (not copied), or, for a
 * sequence, its items.
 */
public record DicomElement(int tag, String vr, byte[] buf, int offset, int length, List<DicomDataset> items) {
    public static String tagString(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xffff);
    }
}
