package org.medmamba.data.jpeg;

/** The SOF header: process, precision, size and components, with the derived MCU geometry. */
final class JpegFrame {
    /** Refuse frames larger than this many samples before allocating anything. */

    final int marker, precision, width, height;
    final JpegComponent[] components;
    final boolean lossless, progressive;
    final int hMax, vMax;
    /** MCUs per row and column for interleaved scans. */
    final int mcusX, mcusY;

    JpegFrame(int marker, int precision, int width, int height, JpegComponent[] components) throws JpegException {
        this.marker = marker;
        this.precision = precision;
        this.width = width;
        this.height = height;
        this.components = components;
        this.lossless = marker == JpegMarkers.SOF3;
        this.progressive = marker == JpegMarkers.SOF2;
        int hm = 1, vm = 1;
        for (JpegComponent c : components) {
            hm = Math.max(hm, c.h);
            vm = Math.max(vm, c.v);
        }
        hMax = hm;
        vMax = vm;
        int unit = lossless ? 1 : 8;
        mcusX = ceilDiv(width, unit * hMax);
        mcusY = ceilDiv(height, unit * vMax);
        String tooBig = org.medmamba.io.Limits.current().imageProblem(width, height, components.length);
        if (tooBig != null) throw new JpegException(tooBig);
        long planeTotal = 0;
        for (JpegComponent c : components) {
            c.width = ceilDiv(width * c.h, hMax);
            c.height = ceilDiv(height * c.v, vMax);
            c.unitsW = ceilDiv(c.width, unit);
            c.unitsH = ceilDiv(c.height, unit);
            c.planeW = mcusX * c.h * unit;
            c.planeH = mcusY * c.v * unit;
            planeTotal += (long) c.planeW * c.planeH;
        }
        // padded planes of subsampled components: at most twice the image's samples (as float32 bytes / 4)
        if (planeTotal > 2 * (org.medmamba.io.Limits.current().imageBytes() / 4))
            throw new JpegException("JPEG image too large: " + width + "x" + height + "x" + components.length);
    }

    /** Smallest number of coded units (blocks or samples) a complete image must contain. */
    long minCodedUnits() {
        long n = 0;
        for (JpegComponent c : components) n += (long) c.unitsW * c.unitsH;
        return n;
    }

    void allocate() {
        for (JpegComponent c : components) {
            c.plane = new int[c.planeW * c.planeH];
            if (progressive) c.coefs = new int[c.planeW * c.planeH];
        }
    }

    static int ceilDiv(int a, int b) {
        return (int) (((long) a + b - 1) / b);
    }
}
