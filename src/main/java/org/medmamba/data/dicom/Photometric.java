package org.medmamba.data.dicom;

import org.medmamba.data.image.Image;
import org.medmamba.io.BadFileException;

import static org.medmamba.data.dicom.DicomDictionary.*;

/**
 * Stored values of one frame to a model input in [0, 1]. Monochrome: rescale slope/intercept,
 * then the first VOI window, or min–max over the frame when there is none; MONOCHROME1 is
 * inverted after windowing. Colour: RGB as is, YBR_FULL/YBR_FULL_422 to RGB (BT.601 full range,
 * PS3.3 C.7.6.3.1.2), PALETTE COLOR through its lookup tables; scaled by the maximum value.
 */
public final class Photometric {
    private Photometric() {}

    public static Image toImage(PixelDecoder dec, int[] stored) throws BadFileException {
        PixelModule pm = dec.module();
        DicomDataset d = dec.file().dataset();
        String pi = pm.photometric();
        int h = pm.rows(), w = pm.cols();
        if (pi.equals("PALETTE COLOR")) return palette(dec, stored);
        if (pi.startsWith("YBR_PARTIAL"))
            throw new BadFileException(dec.file().path(), "unsupported photometric interpretation " + pi + " (a video colour space)");
        if (pm.samplesPerPixel() == 3) {
            boolean ybr = pi.equals("YBR_FULL") || pi.equals("YBR_FULL_422") || dec.ycbcrLabelledRgb();
            double max = pm.bitsStored() >= 31 ? Integer.MAX_VALUE : (1L << pm.bitsStored()) - 1;
            return rgb(stored, h, w, ybr, max);
        }
        if (!pi.startsWith("MONOCHROME"))
            throw new BadFileException(dec.file().path(), "unsupported photometric interpretation " + pi + " with 1 sample per pixel");
        return monochrome(stored, h, w, d.decimal(RESCALE_SLOPE, 1), d.decimal(RESCALE_INTERCEPT, 0), window(d), pi.equals("MONOCHROME1"));
    }

    /** The first Window Center/Width pair, or null when absent or unusable (width < 1). */
    static Window window(DicomDataset d) {
        double c = d.decimal(WINDOW_CENTER, Double.NaN), wd = d.decimal(WINDOW_WIDTH, Double.NaN);
        return Double.isFinite(c) && wd >= 1 ? new Window(c, wd) : null;
    }

    public static Image monochrome(int[] v, int h, int w, double slope, double intercept, Window win, boolean invert) {
        int n = h * w;
        float[] out = new float[n];
        if (slope == 0 || !Double.isFinite(slope)) slope = 1;
        if (win != null) {
            for (int i = 0; i < n; i++) out[i] = win.apply(v[i] * slope + intercept);
        } else {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double x = v[i] * slope + intercept;
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            double range = hi - lo;
            for (int i = 0; i < n; i++) out[i] = range > 0 ? (float) ((v[i] * slope + intercept - lo) / range) : 0f;
        }
        if (invert) for (int i = 0; i < n; i++) out[i] = 1f - out[i];
        return new Image(1, h, w, out);
    }

    /** Interleaved 3-sample pixels to planar RGB in [0, 1]. */
    public static Image rgb(int[] v, int h, int w, boolean ybr, double max) {
        int n = h * w;
        float[] out = new float[3 * n];
        double half = (max + 1) / 2;
        for (int i = 0; i < n; i++) {
            double a = v[3 * i], b = v[3 * i + 1], c = v[3 * i + 2];
            if (ybr) {
                double y = a, cb = b - half, cr = c - half;
                a = y + 1.402 * cr;
                b = y - 0.344136 * cb - 0.714136 * cr;
                c = y + 1.772 * cb;
            }
            out[i] = clamp01(a / max);
            out[n + i] = clamp01(b / max);
            out[2 * n + i] = clamp01(c / max);
        }
        return new Image(3, h, w, out);
    }

    private static float clamp01(double x) {
        return (float) Math.max(0, Math.min(1, x));
    }

    private static Image palette(PixelDecoder dec, int[] v) throws BadFileException {
        DicomDataset d = dec.file().dataset();
        int n = dec.module().rows() * dec.module().cols();
        float[] out = new float[3 * n];
        int[][] desc = {d.u16s(RED_DESCRIPTOR), d.u16s(GREEN_DESCRIPTOR), d.u16s(BLUE_DESCRIPTOR)};
        int[] data = {RED_DATA, GREEN_DATA, BLUE_DATA};
        for (int c = 0; c < 3; c++) {
            float[] lut = lut(dec, desc[c], d.get(data[c]));
            int first = desc[c][1];
            // the first-mapped value is US or SS per PixelRepresentation
            if (dec.module().signed()) first = (short) first;
            for (int i = 0; i < n; i++) out[c * n + i] = lut[Math.max(0, Math.min(lut.length - 1, v[i] - first))];
        }
        return new Image(3, dec.module().rows(), dec.module().cols(), out);
    }

    /** One palette LUT as values in [0, 1]: 16-bit words, or bytes when the data is exactly one byte per entry. */
    private static float[] lut(PixelDecoder dec, int[] desc, DicomElement data) throws BadFileException {
        if (desc == null || desc.length < 3 || data == null || data.items() != null || data.length() == 0)
            throw new BadFileException(dec.file().path(), "PALETTE COLOR without usable lookup table descriptor and data");
        int entries = desc[0] == 0 ? 65536 : desc[0], bits = desc[2];
        boolean be = dec.file().dataset().bigEndian();
        float max = bits == 8 ? 255f : 65535f;
        byte[] b = data.buf();
        int off = data.offset();
        boolean packedBytes = data.length() == entries;
        int count = packedBytes ? entries : Math.min(entries, data.length() / 2);
        if (count == 0) throw new BadFileException(dec.file().path(), "empty palette lookup table");
        float[] lut = new float[count];
        for (int i = 0; i < count; i++) {
            int x = packedBytes ? b[off + i] & 0xff
                    : be ? ((b[off + 2 * i] & 0xff) << 8) | (b[off + 2 * i + 1] & 0xff) : ((b[off + 2 * i + 1] & 0xff) << 8) | (b[off + 2 * i] & 0xff);
            // 8-bit entries in 16-bit words: some writers put the value in the high byte
            if (!packedBytes && bits == 8 && x > 255) x >>= 8;
            lut[i] = Math.min(1f, x / max);
        }
        return lut;
    }
}
