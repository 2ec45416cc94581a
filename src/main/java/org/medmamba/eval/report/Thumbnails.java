package org.medmamba.eval.report;

import org.medmamba.data.image.Image;

import java.awt.image.BufferedImage;

/** Small PNGs of decoded images for the mistakes table (embedded in report.html, no extra files). */
public final class Thumbnails {
    /** Longest side in pixels. */
    public static final int SIZE = 72;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Thumbnails() {}

    /** The image shrunk (never enlarged) to at most {@value #SIZE} px on its longer side, as gray or RGB PNG bytes. */
    public static byte[] png(Image img) {
        double s = Math.min(1.0, (double) SIZE / Math.max(img.height(), img.width()));
        int h = Math.max(1, (int) Math.round(img.height() * s)), w = Math.max(1, (int) Math.round(img.width() * s));
        Image shown = switch (img.channels()) {
            case 1, 3 -> img;
            case 4 -> img.toChannels(3); // alpha dropped
            default -> new Image(1, img.height(), img.width(), java.util.Arrays.copyOf(img.data(), img.height() * img.width()));
        };
        Image small = shown.resize(h, w);
        boolean gray = small.channels() == 1;
        BufferedImage out = new BufferedImage(w, h, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        float[] d = small.data();
        int n = h * w;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (gray) {
                    int v = byteOf(d[i]);
                    out.getRaster().setSample(x, y, 0, v);
                } else out.setRGB(x, y, byteOf(d[i]) << 16 | byteOf(d[n + i]) << 8 | byteOf(d[2 * n + i]));
            }
        return Plots.png(out);
    }

    private static int byteOf(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }
}
