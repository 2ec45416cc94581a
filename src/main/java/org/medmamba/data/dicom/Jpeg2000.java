package org.medmamba.data.dicom;

import org.medmamba.io.BadFileException;
import org.medmamba.io.Limits;

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
 * (files where the two disagree exist, and the codestream is what was encoded). The plug-in is
 * not trusted to fail cleanly: anything it throws, a missing raster or one of the wrong size is a
 * {@link BadFileException}, and the header's size passes {@link Limits#checkImage} before decoding.
 */
final class Jpeg2000 {
    private Jpeg2000() {}

    static int[] decode(Path name, byte[] data, PixelModule pm) throws IOException {
        int[] siz = siz(data);
        if (siz == null) throw new BadFileException(name, "JPEG 2000 frame has no SIZ marker");
        int precision = siz[0];
        boolean signed = siz[1] != 0;
        // checked before decoding so a corrupt SIZ cannot make the codec allocate a huge image
        if (siz[2] != pm.cols() || siz[3] != pm.rows() || siz[4] != pm.samplesPerPixel())
            throw new BadFileException(name, "JPEG 2000 frame is " + siz[2] + "x" + siz[3] + "x" + siz[4] + " but the header says "
                    + pm.cols() + "x" + pm.rows() + "x" + pm.samplesPerPixel());
        Limits.current().checkImage(name, siz[2], siz[3], siz[4]);
        java.util.List<String> problems = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Raster r = watched(name, () -> codec(name, data, siz, problems));
        if (!problems.isEmpty()) throw new BadFileException(name, "JPEG 2000: corrupt codestream (" + problems.get(0).strip() + ")");
        if (r == null) throw new BadFileException(name, "JPEG 2000: the decoder returned no image");
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
        boolean any = false;
        for (int i = 0; i < out.length && !any; i++) any = out[i] != 0;
        // what the codec gives for a codestream it could not use; a real all-zero frame is the price
        if (!any) throw new BadFileException(name, "JPEG 2000: the frame decoded to all zeros (corrupt codestream?)");
        return out;
    }

    /** The plug-in's decode, on the calling (watched) thread; jj2000's warnings go to problems. */
    private static Raster codec(Path name, byte[] data, int[] siz, java.util.List<String> problems) throws IOException {
        // jj2000 reports damage (truncated tiles, unknown markers, short segments) as warnings and
        // then fills what it could not decode with zeros: collect them and refuse the frame
        jj2000.j2k.util.FacilityManager.registerMsgLogger(Thread.currentThread(), new jj2000.j2k.util.MsgLogger() {
            @Override
            public void printmsg(int severity, String msg) {
                if (severity >= jj2000.j2k.util.MsgLogger.WARNING && problems.size() < 8) problems.add(msg);
            }

            @Override
            public void println(String str, int flind, int ind) {}

            @Override
            public void flush() {}
        });
        try (ImageInputStream in = new BoundedImageInputStream(data, 64L * data.length + (1 << 20))) {
            Iterator<ImageReader> it = ImageIO.getImageReaders(in);
            if (!it.hasNext()) it = ImageIO.getImageReadersByFormatName("jpeg2000");
            if (!it.hasNext()) throw new BadFileException(name, "no JPEG 2000 ImageIO reader on the class path");
            ImageReader reader = it.next();
            try {
                reader.setInput(in);
                // getWidth/getHeight read only the header: one more size check before the codec allocates
                Limits.current().checkImage(name, reader.getWidth(0), reader.getHeight(0), siz[4]);
                return reader.readRaster(0, null);
            } finally {
                reader.dispose();
            }
        } catch (BadFileException e) {
            throw e;
        } catch (IOException | RuntimeException | Error e) {   // Error too: the codec's own bugs (stack overflow, OOM) are this file's failure
            throw new BadFileException(name, "JPEG 2000: cannot decode (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        } finally {
            jj2000.j2k.util.FacilityManager.unregisterMsgLogger(Thread.currentThread());
        }
    }

    private interface Decode {
        Raster run() throws IOException;
    }

    /**
     * Runs the codec on its own daemon thread with a deadline ({@code medmamba.limits.decodeSeconds}):
     * fuzzing found a one-byte change in a codestream's packet data that makes jj2000 loop forever
     * without reading. A thread cannot be stopped, so one that overruns is left at the lowest
     * priority to end with the JVM; the file is refused.
     */
    private static Raster watched(Path name, Decode decode) throws IOException {
        java.util.concurrent.CompletableFuture<Raster> result = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(decode.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "medmamba-jpeg2000");
        t.setDaemon(true);
        t.start();
        int seconds = Limits.current().decodeSeconds();
        try {
            return result.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            t.setPriority(Thread.MIN_PRIORITY);
            throw new BadFileException(name, "JPEG 2000: the decoder did not finish within " + seconds + " s (a corrupt codestream; "
                    + Limits.PREFIX + "decodeSeconds)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadFileException(name, "JPEG 2000: interrupted while decoding");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            throw new BadFileException(name, "JPEG 2000: cannot decode (" + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()) + ")");
        }
    }

    /** {precision, signed, width, height, components} from the SIZ marker (first component's sample format), or null. */
    static int[] siz(byte[] d) {
        for (int i = 2; i + 42 < d.length; i++) { // SOC (FF4F) is followed directly by SIZ (FF51)
            if ((d[i - 2] & 0xff) == 0xFF && (d[i - 1] & 0xff) == 0x4F && (d[i] & 0xff) == 0xFF && (d[i + 1] & 0xff) == 0x51) {
                // marker(2) Lsiz(2) Rsiz(2) Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz (4 each) Csiz(2), then Ssiz
                long w = ByteReader.u32be(d, i + 6) - ByteReader.u32be(d, i + 14), h = ByteReader.u32be(d, i + 10) - ByteReader.u32be(d, i + 18);
                int csiz = ((d[i + 38] & 0xff) << 8) | (d[i + 39] & 0xff), ssiz = d[i + 40] & 0xff;
                return new int[]{(ssiz & 0x7f) + 1, ssiz & 0x80, (int) Math.max(-1, Math.min(Integer.MAX_VALUE, w)),
                        (int) Math.max(-1, Math.min(Integer.MAX_VALUE, h)), csiz};
            }
        }
        return null;
    }
}
