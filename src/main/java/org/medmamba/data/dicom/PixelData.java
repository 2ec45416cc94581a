package org.medmamba.data.dicom;

import java.util.List;

/**
 * The Pixel Data element: native (one slice of bytes) or encapsulated (a basic offset table and
 * fragments, each a slice of the file's bytes).
 *
 * @param offsets the basic offset table (byte offsets of frames from the first fragment's item tag); empty when absent
 */
public record PixelData(String vr, byte[] buf, int offset, int length, long[] offsets, List<Fragment> fragments) {
    /** One fragment: its value slice, and where its item tag sits relative to the first fragment's item tag. */
    public record Fragment(int offset, int length, long itemPosition) {}

    public boolean encapsulated() {
        return fragments != null;
    }
}
