package org.medmamba.data.transform;

/**
 * Horizontal flip, rotation about the image centre and translation, composed into one inverse map
 * and sampled once with bilinear interpolation; source taps outside the image read 0 (black, before
 * normalisation), as torchvision's rotate/affine with fill=0.
 */
final class Warp {
    private Warp() {}

    /**
     * dst(x, y) = src(F⁻¹ R⁻¹ T⁻¹ (x, y)) for planar channels × h × w images; coordinates are pixel
     * centres, the centre of rotation is ((w − 1)/2, (h − 1)/2), positive degrees turn the content
     * counter-clockwise on screen, (tx, ty) moves it right and down.
     */
    static void apply(float[] src, float[] dst, int channels, int h, int w, boolean flip, double degrees, double tx, double ty) {
        double th = Math.toRadians(degrees), cos = Math.cos(th), sin = Math.sin(th);
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            double dy = y - ty - cy;
            for (int x = 0; x < w; x++) {
                double dx = x - tx - cx;
                double sx = cx + cos * dx - sin * dy, sy = cy + sin * dx + cos * dy;
                if (flip) sx = (w - 1) - sx;
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                float fx = (float) (sx - x0), fy = (float) (sy - y0);
                float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
                boolean inX0 = x0 >= 0 && x0 < w, inX1 = x0 + 1 >= 0 && x0 + 1 < w;
                boolean inY0 = y0 >= 0 && y0 < h, inY1 = y0 + 1 >= 0 && y0 + 1 < h;
                int o = y * w + x;
                for (int c = 0; c < channels; c++) {
                    int b = c * plane;
                    float v = 0;
                    if (inY0) {
                        int r = b + y0 * w;
                        if (inX0) v += w00 * src[r + x0];
                        if (inX1) v += w01 * src[r + x0 + 1];
                    }
                    if (inY1) {
                        int r = b + (y0 + 1) * w;
                        if (inX0) v += w10 * src[r + x0];
                        if (inX1) v += w11 * src[r + x0 + 1];
                    }
                    dst[b + o] = v;
                }
            }
        }
    }
}
