package org.medmamba.data.jpeg;

/** One frame component: its SOF parameters and the decoded sample plane at its own resolution. */
final class JpegComponent {
    final int id, h, v, tq;
    /** Size in samples (T.81 A.1.1: ceil(X·h/Hmax) × ceil(Y·v/Vmax)). */
    int width, height;
    /** Coded units (8×8 blocks, or single samples for lossless) a non-interleaved scan covers. */
    int unitsW, unitsH;
    /** The plane is padded to whole MCUs so interleaved scans can write every block. */
    int planeW, planeH;
    int[] plane;
    /** Progressive only: quantized coefficients, 64 per block in natural order, blocks row-major over planeW/8. */
    int[] coefs;
    /** Quantization table latched when the component's first scan starts (natural order). */
    int[] quant;
    boolean coded;
    /** Lossless only: the point transform Pt; samples are output shifted left by it. */
    int pointTransform;

    JpegComponent(int id, int h, int v, int tq) {
        this.id = id;
        this.h = h;
        this.v = v;
        this.tq = tq;
    }
}
