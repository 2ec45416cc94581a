package org.medmamba.data.jpeg;

/**
 * Decodes the JPEG processes DICOM uses: baseline and extended sequential DCT (8 and 12 bit,
 * Huffman) and lossless (process 14, predictors 1–7).
 */
public final class JpegDecoder {
    private JpegDecoder() {}

    /** Decodes one complete JPEG bitstream (SOI … EOI). */
    public static JpegImage decode(byte[] data) throws JpegException {
        throw new JpegException("JPEG decoding is not implemented yet");
    }
}
