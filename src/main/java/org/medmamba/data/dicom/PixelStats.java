package org.medmamba.data.dicom;

import java.io.IOException;

/** Minimum, maximum and mean of the stored values over all frames and samples (before rescale). */
public record PixelStats(long min, long max, double mean) {
    public static PixelStats of(PixelDecoder dec) throws IOException {
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE, count = 0;
        double sum = 0;
        for (int k = 0; k < dec.module().frames(); k++) {
            final int frame = k;
            int[] v = DicomImages.guard(dec.file().path(), () -> dec.frame(frame));
            long s = 0;
            for (int x : v) {
                if (x < min) min = x;
                if (x > max) max = x;
                s += x;
            }
            sum += s;
            count += v.length;
        }
        return new PixelStats(min, max, count == 0 ? 0 : sum / count);
    }
}
