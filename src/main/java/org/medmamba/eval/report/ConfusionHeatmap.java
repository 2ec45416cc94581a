package org.medmamba.eval.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The confusion matrix as a heat map, drawn with Java2D: rows are true classes, columns predicted
 * ones; each cell shows its count and row percentage, coloured by the row-normalised fraction
 * (white → blue) so that small classes read as clearly as large ones.
 */
final class ConfusionHeatmap {
    private static final Color LOW = Color.WHITE, HIGH = new Color(0x08306b), INK = new Color(0x222222);

    private ConfusionHeatmap() {}

    static BufferedImage render(List<String> labels, long[][] counts, int width, int height) {
        int k = labels.size();
        BufferedImage img = Plots.canvas();
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(INK);
        Font title = new Font(Plots.FONT, Font.BOLD, 18), axis = new Font(Plots.FONT, Font.PLAIN, 14);
        int labelSize = k <= 8 ? 13 : k <= 16 ? 11 : 9;
        Font tick = new Font(Plots.FONT, Font.PLAIN, labelSize);
        g.setFont(title);
        centered(g, "Confusion matrix (row-normalised colour)", width / 2, 30);

        // layout: room for the longest (shortened) label on the left and, rotated, at the bottom
        g.setFont(tick);
        FontMetrics tm = g.getFontMetrics();
        int longest = 0;
        for (String l : labels) longest = Math.max(longest, tm.stringWidth(Plots.shorten(l, 24)));
        int legendW = 70, top = 50, left = 40 + longest + 12, bottom = 40 + Math.min(longest, 160) + 12;
        int side = Math.min(width - left - legendW - 20, height - top - bottom);
        int cell = side / k;
        side = cell * k;
        int x0 = left + (width - left - legendW - side) / 2 - 10, y0 = top;

        int cellFont = Math.max(8, Math.min(16, cell / 4));
        for (int t = 0; t < k; t++) {
            long row = 0;
            for (long v : counts[t]) row += v;
            for (int p = 0; p < k; p++) {
                double frac = row == 0 ? 0 : (double) counts[t][p] / row;
                Color fill = blend(frac);
                int x = x0 + p * cell, y = y0 + t * cell;
                g.setColor(fill);
                g.fillRect(x, y, cell, cell);
                g.setColor(luminance(fill) < 0.5 ? Color.WHITE : INK);
                if (cell >= 18) {
                    g.setFont(new Font(Plots.FONT, t == p ? Font.BOLD : Font.PLAIN, cellFont));
                    boolean two = cell >= 3 * cellFont;
                    int cy = y + cell / 2 + g.getFontMetrics().getAscent() / 2 - (two ? cellFont / 2 : 0);
                    centered(g, Long.toString(counts[t][p]), x + cell / 2, cy);
                    if (two) {
                        g.setFont(new Font(Plots.FONT, Font.PLAIN, Math.max(8, cellFont - 3)));
                        centered(g, row == 0 ? "–" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * frac),
                                x + cell / 2, cy + cellFont + 2);
                    }
                }
            }
        }
        g.setColor(new Color(0x999999));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x0, y0, side, side);

        // class labels: truth on the left (right-aligned), predictions at the bottom (rotated)
        g.setFont(tick);
        g.setColor(INK);
        for (int i = 0; i < k; i++) {
            String l = Plots.shorten(labels.get(i), 24);
            int w = tm.stringWidth(l);
            g.drawString(l, x0 - 8 - w, y0 + i * cell + cell / 2 + tm.getAscent() / 2 - 1);
            AffineTransform saved = g.getTransform();
            g.translate(x0 + i * cell + cell / 2 + tm.getAscent() / 2 - 1, y0 + side + 8);
            g.rotate(-Math.PI / 2);
            g.drawString(l, -w, 0);
            g.setTransform(saved);
        }
        g.setFont(axis);
        centered(g, "predicted class", x0 + side / 2, Math.min(height - 12, y0 + side + 8 + Math.min(longest, 160) + 28));
        AffineTransform saved = g.getTransform();
        g.translate(x0 - 8 - longest - 14, y0 + side / 2);
        g.rotate(-Math.PI / 2);
        centered(g, "true class", 0, 0);
        g.setTransform(saved);

        // colour bar: fraction of the true class
        int bx = x0 + side + 30, bw = 16;
        for (int y = 0; y < side; y++) {
            g.setColor(blend(1 - (double) y / (side - 1)));
            g.fillRect(bx, y0 + y, bw, 1);
        }
        g.setColor(new Color(0x999999));
        g.drawRect(bx, y0, bw, side);
        g.setColor(INK);
        g.setFont(new Font(Plots.FONT, Font.PLAIN, 12));
        for (int i = 0; i <= 4; i++) {
            int y = y0 + side - i * side / 4;
            g.drawString(i * 25 + "%", bx + bw + 5, y + 4);
        }
        g.dispose();
        return img;
    }

    private static Color blend(double f) {
        f = Math.sqrt(Math.max(0, Math.min(1, f))); // lift small fractions so off-diagonal errors show
        return new Color((int) Math.round(LOW.getRed() + f * (HIGH.getRed() - LOW.getRed())),
                (int) Math.round(LOW.getGreen() + f * (HIGH.getGreen() - LOW.getGreen())),
                (int) Math.round(LOW.getBlue() + f * (HIGH.getBlue() - LOW.getBlue())));
    }

    private static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255;
    }

    private static void centered(Graphics2D g, String s, int cx, int baseline) {
        g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
    }
}
