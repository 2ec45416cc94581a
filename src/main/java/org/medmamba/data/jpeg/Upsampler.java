package org.medmamba.data.jpeg;

/** Builds the interleaved output: each component plane replicated up to full size (no filtering). */
final class Upsampler {
    private Upsampler() {}

    static int[] interleave(JpegFrame f) {
        int w = f.width, h = f.height, n = f.components.length;
        int[] out = new int[w * h * n];
        int[] xmap = new int[w];
        for (int ci = 0; ci < n; ci++) {
            JpegComponent c = f.components[ci];
            int[] plane = c.plane;
            int shift = c.pointTransform;
            for (int x = 0; x < w; x++) xmap[x] = x * c.h / f.hMax;
            boolean full = c.h == f.hMax;
            for (int y = 0; y < h; y++) {
                int row = (y * c.v / f.vMax) * c.planeW;
                int o = y * w * n + ci;
                if (full) {
                    for (int x = 0; x < w; x++, o += n) out[o] = plane[row + x] << shift;
                } else {
                    for (int x = 0; x < w; x++, o += n) out[o] = plane[row + xmap[x]] << shift;
                }
            }
        }
        return out;
    }
}
