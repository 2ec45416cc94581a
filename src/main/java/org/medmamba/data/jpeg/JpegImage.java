package org.medmamba.data.jpeg;

/**
 * One decoded JPEG frame, samples exactly as coded: no colour conversion, chroma upsampled to
 * full size. samples[(y·width + x)·components + c], unsigned, in [0, 2^precision − 1].
 *
 * @param adobeTransform the Adobe APP14 transform flag (0 none/RGB, 1 YCbCr, 2 YCCK), −1 without that marker
 */
public record JpegImage(int width, int height, int components, int precision, boolean lossless,
                        int adobeTransform, int[] samples) {
    public JpegImage {
        if ((long) width * height * components != samples.length)
            throw new IllegalArgumentException("samples length " + samples.length + " != " + width + "x" + height + "x" + components);
    }
}
