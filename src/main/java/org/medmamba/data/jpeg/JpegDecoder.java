package org.medmamba.data.jpeg;

/**
 * Decodes the JPEG processes DICOM uses: baseline and extended sequential DCT (8 and 12 bit,
 * Huffman), progressive DCT, and lossless (process 14, predictors 1–7). JPEG-LS streams (SOF55)
 * are handed to {@link JpegLsDecoder}.
 */
public final class JpegDecoder {
    private JpegDecoder() {}

    /** Decodes one complete JPEG bitstream (SOI … EOI). */
    public static JpegImage decode(byte[] data) throws JpegException {
        if (data == null) throw new JpegException("no JPEG data");
        if (JpegLsDecoder.isJpegLs(data)) return JpegLsDecoder.decode(data);
        try {
            return new JpegStreamParser(data).decode();
        } catch (JpegException e) {
            throw e;
        } catch (RuntimeException e) {
            // Last resort: every check should be explicit, but a corrupt stream must never escape as anything else.
            throw new JpegException("corrupt JPEG data: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage().lines().findFirst().orElse("")));
        } catch (OutOfMemoryError e) {
            throw new JpegException("JPEG image too large: out of memory");
        }
    }
}
