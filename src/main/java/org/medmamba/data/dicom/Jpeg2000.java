package org.medmamba.data.dicom;

import org.medmamba.io.BadFileException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * JPEG 2000 frames through the jai-imageio ImageIO plug-in. The codestream's own SIZ marker says
 * whether samples are signed and how many bits they have; that wins over PixelRepresentation
 * (files where the two disagree exist, and the codestream is what was encoded).
 */
final class Jpeg2000 {
    private Jpeg2000() {}

    static int[] decode(Path name, byte[] data, PixelModule pm) throws IOException {
        int[] siz = siz(data);
        if (siz == null) throw new BadFileException(name, "JPEG 2000 frame has no SIZ marker");
        int precision = siz[0];
        boolean signed = siz[1] != 0;
        Raster r;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> it = ImageIO.getImageReaders(in);
            if (!it.hasNext()) it = ImageIO.getImageReadersByFormatName("jpeg2000");
            if (!it.hasNext()) throw new BadFileException(name, "no JPEG 2000 ImageIO reader on the class path");
            ImageReader reader = it.next();
            try {
                reader.setInput(in);
                r = reader.readRaster(0, null);
            } finally {
                reader.dispose();
            }
        } catch (BadFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadFileException(name, "JPEG 2000: cannot decode (" + e.getMessage() + ")");
        }
        if (r.getWidth() != pm.cols() || r.getHeight() != pm.rows() || r.getNumBands() != pm.samplesPerPixel())
            throw new BadFileException(name, "JPEG 2000 frame is " + r.getWidth() + "x" + r.getHeight() + "x" + r.getNumBands()
                    + " but the header says " + pm.cols() + "x" + pm.rows() + "x" + pm.samplesPerPixel());
        int w = r.getWidth(), h = r.getHeight(), bands = r.getNumBands();
        int[] out = r.getPixels(r.getMinX(), r.getMinY(), w, h, new int[w * h * bands]);
        int mask = precision >= 32 ? -1 : (1 << precision) - 1;
        for (int i = 0; i < out.length; i++) {
            int v = out[i] & mask;
            out[i] = signed && precision < 32 ? (v << (32 - precision)) >> (32 - precision) : v;
        }
        return out;
    }

    /** {precision, signed} of the first component from the SIZ marker, or null. */
    static int[] siz(byte[] d) {
        for (int i = 2; i + 42 < d.length; i++) { // SOC (FF4F) is followed directly by SIZ (FF51)
            if ((d[i - 2] & 0xff) == 0xFF && (d[i - 1] & 0xff) == 0x4F && (d[i] & 0xff) == 0xFF && (d[i + 1] & 0xff) == 0x51) {
                int ssiz = d[i + 40] & 0xff; // marker(2) Lsiz(2) Rsiz(2) 8×4-byte sizes(32) Csiz(2), then Ssiz
                return new int[]{(ssiz & 0x7f) + 1, ssiz & 0x80};
            }
        }
        return null;
    }
}
