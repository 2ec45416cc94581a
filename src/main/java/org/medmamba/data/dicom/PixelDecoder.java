package org.medmamba.data.dicom;

import org.medmamba.data.jpeg.JpegDecoder;
import org.medmamba.data.jpeg.JpegImage;
import org.medmamba.io.BadFileException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Decodes the frames of a parsed file to stored values: int[rows·cols·spp], interleaved by
 * pixel (planar data is interleaved), masked to BitsStored and sign-extended when signed.
 * Colour stays in the photometric space of the data (YBR stays YBR; see {@link Photometric}).
 */
public final class PixelDecoder {
    private final DicomFile file;
    private final PixelModule pm;
    private final Path name;
    private final boolean ycbcrLabelledRgb;

    public PixelDecoder(DicomFile file) throws BadFileException {
        this.file = file;
        this.name = file.path();
        if (file.pixelData() == null) throw new BadFileException(name, "no pixel data");
        this.pm = PixelModule.of(file);
        TransferSyntax ts = file.transferSyntax();
        switch (ts.codec()) {
            case UNKNOWN -> throw new BadFileException(name, "unsupported transfer syntax " + ts.describe() + ": no Java codec");
            case NATIVE -> {
                if (file.pixelData().encapsulated())
                    throw new BadFileException(name, "encapsulated pixel data in uncompressed transfer syntax " + ts.uid());
                if (pm.photometric().equals("YBR_FULL_422") && pm.samplesPerPixel() == 3 && (pm.bitsAllocated() != 8 || pm.cols() % 2 != 0))
                    throw new BadFileException(name, "native YBR_FULL_422 needs 8-bit samples and an even number of columns");
                long need = nativeBits(pm) * pm.frames();
                long have = 8L * file.pixelData().length();
                if (have < need)
                    throw new BadFileException(name, "pixel data has " + file.pixelData().length() + " bytes but " + pm.rows() + "x" + pm.cols()
                            + "x" + pm.frames() + " frames x " + pm.samplesPerPixel() + " samples x " + pm.bitsAllocated() + " bits need " + (need + 7) / 8);
            }
            default -> {
                if (!file.pixelData().encapsulated())
                    throw new BadFileException(name, "native pixel data in compressed transfer syntax " + ts.describe());
            }
        }
        PixelData pd = file.pixelData();
        ycbcrLabelledRgb = ts.codec() == TransferSyntax.Codec.JPEG && pm.samplesPerPixel() == 3 && pm.photometric().equals("RGB")
                && !pd.fragments().isEmpty()
                && JpegColour.isYcbcr(pd.buf(), pd.fragments().get(0).offset(), pd.fragments().get(0).length());
    }

    /** Whether the file says RGB but its lossy JPEG stream holds YCbCr (see {@link JpegColour}). */
    public boolean ycbcrLabelledRgb() {
        return ycbcrLabelledRgb;
    }

    public PixelModule module() {
        return pm;
    }

    public DicomFile file() {
        return file;
    }

    /** Bits one native frame occupies (YBR_FULL_422 stores two chroma samples per pixel pair). */
    private static long nativeBits(PixelModule pm) {
        long samples = pm.photometric().equals("YBR_FULL_422") && pm.samplesPerPixel() == 3
                ? 2L * pm.rows() * pm.cols() : (long) pm.frameSamples();
        return samples * pm.bitsAllocated();
    }

    public int[] frame(int k) throws IOException {
        if (k < 0 || k >= pm.frames()) throw new BadFileException(name, "frame " + k + " out of range (" + pm.frames() + " frames)");
        int[] raw = switch (file.transferSyntax().codec()) {
            case NATIVE -> nativeFrame(k);
            case RLE -> RleDecoder.decode(name, Fragments.frame(name, file.pixelData(), k, pm.frames()), pm.rows(), pm.cols(),
                    pm.samplesPerPixel(), pm.bitsAllocated());
            case JPEG, JPEG_LS -> jpeg(Fragments.frame(name, file.pixelData(), k, pm.frames())); // JpegDecoder routes JPEG-LS
            case JPEG_2000 -> Jpeg2000.decode(name, Fragments.frame(name, file.pixelData(), k, pm.frames()), pm);
            default -> throw new BadFileException(name, "unsupported transfer syntax " + file.transferSyntax().describe());
        };
        switch (file.transferSyntax().codec()) {
            case JPEG, JPEG_LS -> { for (int i = 0; i < raw.length; i++) raw[i] = pm.bits(raw[i]); }
            case JPEG_2000 -> { } // signedness and precision come from the codestream
            default -> { for (int i = 0; i < raw.length; i++) raw[i] = pm.stored(raw[i]); }
        }
        return raw;
    }

    private int[] jpeg(byte[] data) throws IOException {
        JpegImage j;
        try {
            j = JpegDecoder.decode(data);
        } catch (IOException e) {
            throw new BadFileException(name, "JPEG: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new BadFileException(name, "JPEG: corrupt data (" + e + ")");
        }
        if (j.width() != pm.cols() || j.height() != pm.rows() || j.components() != pm.samplesPerPixel())
            throw new BadFileException(name, "JPEG frame is " + j.width() + "x" + j.height() + "x" + j.components() + " but the header says "
                    + pm.cols() + "x" + pm.rows() + "x" + pm.samplesPerPixel());
        return j.samples();
    }

    private int[] nativeFrame(int k) {
        PixelData pd = file.pixelData();
        byte[] b = pd.buf();
        int n = (int) (nativeBits(pm) / pm.bitsAllocated()), spp = pm.samplesPerPixel();
        int[] v = new int[n];
        boolean be = file.dataset().bigEndian();
        long bitOffset = nativeBits(pm) * k;
        int base = pd.offset() + (int) (bitOffset / 8);
        switch (pm.bitsAllocated()) {
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    long bit = bitOffset + i;
                    v[i] = (b[pd.offset() + (int) (bit >>> 3)] >> (int) (bit & 7)) & 1;
                }
            }
            case 8 -> {
                // 8-bit samples in an OW value of a big-endian file are byte-swapped in pairs
                boolean swap = be && pd.vr().equals("OW");
                for (int i = 0; i < n; i++) v[i] = b[swap ? base + (i ^ 1) : base + i] & 0xff;
            }
            case 16 -> {
                for (int i = 0; i < n; i++) {
                    int a = b[base + 2 * i] & 0xff, c = b[base + 2 * i + 1] & 0xff;
                    v[i] = be ? (a << 8) | c : (c << 8) | a;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    long x = be ? ByteReader.u32be(b, base + 4 * i) : ByteReader.u32le(b, base + 4 * i);
                    v[i] = (int) x;
                }
            }
        }
        if (spp == 3 && pm.photometric().equals("YBR_FULL_422") && pm.bitsAllocated() == 8) return expand422(v);
        if (spp > 1 && pm.planarConfiguration() == 1) return interleave(v, spp);
        return v;
    }

    /** Planes (all R, all G, all B) to pixels (RGB RGB ...). */
    static int[] interleave(int[] planar, int spp) {
        int n = planar.length / spp;
        int[] out = new int[planar.length];
        for (int s = 0; s < spp; s++) for (int i = 0; i < n; i++) out[i * spp + s] = planar[s * n + i];
        return out;
    }

    /** Native YBR_FULL_422 (Y1 Y2 Cb Cr per pixel pair, packed in the first 2/3 of v) to Y Cb Cr per pixel. */
    private int[] expand422(int[] v) {
        int cols = pm.cols(), rows = pm.rows();
        int[] out = new int[rows * cols * 3];
        int p = 0;
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x += 2) {
                int y1 = v[p], y2 = v[p + 1], cb = v[p + 2], cr = v[p + 3];
                p += 4;
                int o = (y * cols + x) * 3;
                out[o] = y1;
                out[o + 1] = cb;
                out[o + 2] = cr;
                if (x + 1 < cols) {
                    out[o + 3] = y2;
                    out[o + 4] = cb;
                    out[o + 5] = cr;
                }
            }
        return out;
    }
}
