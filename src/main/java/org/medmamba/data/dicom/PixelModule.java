package org.medmamba.data.dicom;

import org.medmamba.io.BadFileException;

import static org.medmamba.data.dicom.DicomDictionary.*;

/** The Image Pixel module attributes that describe how the stored samples are laid out, validated. */
public record PixelModule(int rows, int cols, int frames, int samplesPerPixel, int bitsAllocated, int bitsStored,
                          int highBit, int pixelRepresentation, int planarConfiguration, String photometric) {
    /** Decoded frames are int[rows·cols·spp]; more samples than this per frame are refused. */

    public static PixelModule of(DicomFile f) throws BadFileException {
        DicomDataset d = f.dataset();
        int rows = d.integer(ROWS, 0), cols = d.integer(COLUMNS, 0);
        int frames = d.integer(NUMBER_OF_FRAMES, 1), spp = d.integer(SAMPLES_PER_PIXEL, 1);
        int ba = d.integer(BITS_ALLOCATED, 0), bs = d.integer(BITS_STORED, ba), hb = d.integer(HIGH_BIT, bs - 1);
        int rep = d.integer(PIXEL_REPRESENTATION, 0), planar = d.integer(PLANAR_CONFIGURATION, 0);
        String pi = d.string(PHOTOMETRIC);
        if (pi == null || pi.isEmpty()) pi = spp == 3 ? "RGB" : "MONOCHROME2";
        if (rows <= 0 || cols <= 0) throw new BadFileException(f.path(), "invalid image size " + rows + "x" + cols + " (Rows/Columns)");
        if (frames <= 0) throw new BadFileException(f.path(), "invalid NumberOfFrames " + frames);
        if (spp != 1 && spp != 3) throw new BadFileException(f.path(), "unsupported SamplesPerPixel " + spp + " (only 1 and 3)");
        if (ba != 1 && ba != 8 && ba != 16 && ba != 32) throw new BadFileException(f.path(), "unsupported BitsAllocated " + ba + " (only 1, 8, 16, 32)");
        if (bs < 1 || bs > ba) bs = ba;
        if (hb < bs - 1 || hb >= ba) hb = bs - 1;
        org.medmamba.io.Limits.current().checkImage(f.path(), cols, rows, spp);   // one frame, before any is decoded
        return new PixelModule(rows, cols, frames, spp, ba, bs, hb, rep == 1 ? 1 : 0, planar == 1 ? 1 : 0, pi);
    }

    public int frameSamples() {
        return rows * cols * samplesPerPixel;
    }

    public boolean signed() {
        return pixelRepresentation == 1;
    }

    /** The stored value of a raw sample word: bits below the high bit kept, sign-extended when signed. */
    public int stored(int raw) {
        return bits(raw >>> (highBit + 1 - bitsStored));
    }

    /** The same for a decoded JPEG sample, which holds the value without the word's padding bits. */
    public int bits(int raw) {
        if (bitsAllocated == 1) return raw & 1;
        if (bitsStored == 32) return raw;
        return signed() ? (raw << (32 - bitsStored)) >> (32 - bitsStored) : raw & ((1 << bitsStored) - 1);
    }
}
