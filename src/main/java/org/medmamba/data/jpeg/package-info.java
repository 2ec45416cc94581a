/**
 * JPEG decoders written for DICOM: baseline, 12-bit extended, progressive, lossless (process 14)
 * and JPEG-LS. Read first: {@link org.medmamba.data.jpeg.JpegDecoder} (dispatches on the frame
 * marker) and {@link org.medmamba.data.jpeg.JpegStreamParser}.
 * <p>Self-contained: imports nothing of ours, so it can be tested byte for byte against libjpeg.
 */
package org.medmamba.data.jpeg;
