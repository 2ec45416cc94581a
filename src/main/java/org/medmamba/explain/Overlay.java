package org.medmamba.explain;

import org.medmamba.data.image.Image;
import org.medmamba.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The PNG a person looks at: the image as the model sees it (gray), the map over it in a
 * blue-to-red ramp, a colour bar with the map's range, and the class, probability and method on top.
 * The model's input is small (often 224 px or less), so it is enlarged by an integer factor
 * (nearest neighbour) until it is at least {@link #MIN_SIDE} pixels tall, to leave room for text.
 */
public final class Overlay {
    public static final int MIN_SIDE = 256;
    private static final int TOP = 22, BAR_GAP = 8, BAR = 14, BAR_TEXT = 64;
    private static final float ALPHA = 0.45f;

    private Overlay() {}

    /** Renders the overlay of e on prepared (same height and width as the map). */
    public static BufferedImage render(Image prepared, Explanation e) {
        if (prepared.height() != e.height() || prepared.width() != e.width())
            throw new IllegalArgumentException("image " + prepared.height() + "x" + prepared.width() + " != map " + e.height() + "x" + e.width());
        float[] gray = prepared.toChannels(1).data();
        int h = e.height(), w = e.width(), s = Math.max(1, (MIN_SIDE + h - 1) / h);
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : e.map()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float range = hi > lo ? hi - lo : 1f;
        String title = String.format(Locale.ROOT, "%s  p=%.4f  %s", e.label(), e.probability(), e.method());
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        int textW = pg.getFontMetrics(font).stringWidth(title) + 8;
        pg.dispose();
        int imgW = w * s, imgH = h * s;
        BufferedImage out = new BufferedImage(Math.max(textW, imgW + BAR_GAP + BAR + BAR_TEXT), TOP + imgH, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < imgH; y++)
            for (int x = 0; x < imgW; x++) {
                int i = (y / s) * w + x / s;
                float g = clamp01(gray[i]) * 255f;
                int heat = ramp((e.map()[i] - lo) / range);
                out.setRGB(x, TOP + y, blend(g, heat));
            }
        for (int y = 0; y < imgH; y++) {
            int c = ramp(1f - y / (float) Math.max(1, imgH - 1));
            for (int x = 0; x < BAR; x++) out.setRGB(imgW + BAR_GAP + x, TOP + y, c);
        }
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        g.setColor(Color.WHITE);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, 4, fm.getAscent() + 2);
        g.setFont(font.deriveFont(Font.PLAIN, 11f));
        fm = g.getFontMetrics();
        int tx = imgW + BAR_GAP + BAR + 3;
        g.drawString(number(hi), tx, TOP + fm.getAscent());
        g.drawString(number(lo), tx, TOP + imgH - 2);
        g.dispose();
        return out;
    }

    /** Writes the overlay as PNG, atomically. */
    public static void write(Path target, Image prepared, Explanation e) throws IOException {
        writePng(target, render(prepared, e));
    }

    /** Writes a rendered overlay as PNG, atomically (one rendering can then also go to DICOM). */
    public static void writePng(Path target, BufferedImage img) throws IOException {
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer");
        });
    }

    private static String number(float v) {
        return Math.abs(v) >= 0.01f || v == 0f ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%.2e", v);
    }

    private static float clamp01(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    /** Blue → cyan → green → yellow → red for t in [0, 1]. */
    static int ramp(float t) {
        t = clamp01(t);
        float r = clamp01(Math.min(4 * t - 1.5f, -4 * t + 4.5f));
        float gr = clamp01(Math.min(4 * t - 0.5f, -4 * t + 3.5f));
        float b = clamp01(Math.min(4 * t + 0.5f, -4 * t + 2.5f));
        return ((int) (r * 255) << 16) | ((int) (gr * 255) << 8) | (int) (b * 255);
    }

    private static int blend(float gray, int rgb) {
        int r = Math.round(gray * (1 - ALPHA) + ((rgb >> 16) & 255) * ALPHA);
        int g = Math.round(gray * (1 - ALPHA) + ((rgb >> 8) & 255) * ALPHA);
        int b = Math.round(gray * (1 - ALPHA) + (rgb & 255) * ALPHA);
        return (r << 16) | (g << 8) | b;
    }
}
