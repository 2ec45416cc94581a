package org.medmamba.eval.report;

import org.medmamba.train.EpochRecord;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.medmamba.eval.Calibration;
import org.medmamba.eval.PrCurve;
import org.medmamba.eval.RocCurve;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's plots as {@value #WIDTH}×{@value #HEIGHT} PNGs on white (XChart; the heat map in Java2D). */
public final class Plots {
    public static final int WIDTH = 800, HEIGHT = 600;
    public static final String LEARNING = "learning-curves.png", ROC = "roc.png", PR = "precision-recall.png",
            CONFUSION = "confusion.png", CALIBRATION = "calibration.png";
    static final String FONT = Font.SANS_SERIF;
    /** Tableau 10: distinguishable, colour-blind friendlier than XChart's default. */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
            new Color(0x17becf)};
    private static final Color GRID = new Color(0xe5e5e5), REFERENCE = new Color(0x999999);

    static {
        System.setProperty("java.awt.headless", "true"); // before any AWT class initialises: no display needed
    }

    private Plots() {}

    /** Every plot by file name, in report order; the learning curves only when there is a history. */
    public static Map<String, byte[]> all(Evaluation ev, List<EpochRecord> history) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (!history.isEmpty()) out.put(LEARNING, learningCurves(history));
        out.put(ROC, roc(ev));
        out.put(PR, precisionRecall(ev));
        out.put(CONFUSION, confusion(ev));
        out.put(CALIBRATION, calibration(ev));
        return out;
    }

    /** Loss (train and validation) above, validation accuracy and AUC below, per epoch. */
    public static byte[] learningCurves(List<EpochRecord> history) {
        XYChart loss = chart("Loss", "epoch", "cross-entropy", WIDTH, HEIGHT / 2);
        addFinite(loss, "train", history, EpochRecord::trainLoss);
        addFinite(loss, "validation", history, EpochRecord::valLoss);
        XYChart val = chart("Validation", "epoch", "score", WIDTH, HEIGHT / 2);
        addFinite(val, "accuracy", history, EpochRecord::valAccuracy);
        addFinite(val, "macro AUC", history, EpochRecord::valAuc);
        loss.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        val.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        for (XYChart c : List.of(loss, val)) {
            c.getStyler().setXAxisDecimalPattern("#");
            c.getStyler().setYAxisDecimalPattern("0.0#");
        }
        List<XYChart> panels = new ArrayList<>();
        for (XYChart c : List.of(loss, val)) if (!c.getSeriesMap().isEmpty()) panels.add(c);
        BufferedImage img = canvas();
        Graphics2D g = img.createGraphics();
        int h = panels.isEmpty() ? HEIGHT : HEIGHT / panels.size();
        for (int i = 0; i < panels.size(); i++) {
            Graphics2D p = (Graphics2D) g.create(0, i * h, WIDTH, h);
            panels.get(i).paint(p, WIDTH, h);
            p.dispose();
        }
        g.dispose();
        return png(img);
    }

    /** One-vs-rest ROC per class (AUC in the legend) and the chance diagonal; classes without an AUC are left out. */
    public static byte[] roc(Evaluation ev) {
        XYChart c = chart("ROC curves (one-vs-rest)", "false positive rate (1 − specificity)",
                "true positive rate (sensitivity)", WIDTH, HEIGHT);
        square(c);
        reference(c, "chance");
        for (int k = 0; k < ev.labels().size(); k++) {
            RocCurve r = ev.roc().get(k);
            if (Double.isNaN(r.auc())) continue;
            XYSeries s = c.addSeries(unique(c, String.format(Locale.ROOT, "%s (AUC %.3f)", shorten(ev.labels().get(k), 28), r.auc())),
                    r.fpr(), r.tpr());
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(PALETTE[k % PALETTE.length]);
            s.setLineStyle(k < PALETTE.length ? SeriesLines.SOLID : SeriesLines.DASH_DASH); // colours repeat: dash the second round
            s.setLineWidth(2.2f);
        }
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        return png(c);
    }

    /** One-vs-rest precision–recall curve per class as steps (AP in the legend); classes without positives are left out. */
    public static byte[] precisionRecall(Evaluation ev) {
        XYChart c = chart("Precision–recall curves (one-vs-rest)", "recall (sensitivity)", "precision (PPV)", WIDTH, HEIGHT);
        square(c);
        for (int k = 0; k < ev.labels().size(); k++) {
            PrCurve r = ev.pr().get(k);
            if (Double.isNaN(r.ap())) continue;
            // the step function AP sums: precision P_k over (R_{k-1}, R_k]; points that add no recall are left out
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 1; i < r.recall().length; i++) {
                if (!(r.recall()[i] > r.recall()[i - 1])) continue;
                x.add(r.recall()[i - 1]);
                y.add(r.precision()[i]);
                x.add(r.recall()[i]);
                y.add(r.precision()[i]);
            }
            XYSeries s = c.addSeries(unique(c, String.format(Locale.ROOT, "%s (AP %.3f)", shorten(ev.labels().get(k), 28), r.ap())), x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(PALETTE[k % PALETTE.length]);
            s.setLineStyle(k < PALETTE.length ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
            s.setLineWidth(2.2f);
        }
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        return png(c);
    }

    public static byte[] confusion(Evaluation ev) {
        return png(ConfusionHeatmap.render(ev.labels(), ev.metrics().confusion().counts(), WIDTH, HEIGHT));
    }

    /** Reliability diagram: accuracy against mean confidence per non-empty bin, and the diagonal. */
    public static byte[] calibration(Evaluation ev) {
        Calibration cal = ev.calibration();
        XYChart c = chart(String.format(Locale.ROOT, "Reliability diagram (ECE %.3f)", cal.ece()),
                "confidence (top probability)", "accuracy", WIDTH, HEIGHT);
        square(c);
        int n = 0;
        for (int v : cal.count()) n += v;
        int bins = cal.count().length;
        double[] hx = new double[2 * bins + 2], hy = new double[2 * bins + 2]; // histogram outline: up, across, down per bin
        for (int b = 0; b < bins; b++) {
            double share = n == 0 ? 0 : (double) cal.count()[b] / n;
            hx[2 * b + 1] = (double) b / bins;
            hx[2 * b + 2] = (double) (b + 1) / bins;
            hy[2 * b + 1] = hy[2 * b + 2] = share;
        }
        hx[2 * bins + 1] = 1;
        XYSeries hist = c.addSeries("share of samples", hx, hy);
        hist.setXYSeriesRenderStyle(XYSeriesRenderStyle.Area);
        hist.setMarker(SeriesMarkers.NONE);
        hist.setFillColor(new Color(0, 0, 0, 28));
        hist.setLineColor(new Color(0, 0, 0, 60));
        hist.setLineWidth(0.8f);
        reference(c, "perfect calibration");
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (int b = 0; b < cal.count().length; b++) {
            if (cal.count()[b] == 0) continue;
            x.add(cal.confidence()[b]);
            y.add(cal.accuracy()[b]);
        }
        if (!x.isEmpty()) {
            XYSeries s = c.addSeries("model (" + cal.count().length + " bins)", x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(PALETTE[0]);
            s.setMarkerColor(PALETTE[0]);
            s.setLineWidth(2.2f);
        }
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setMarkerSize(9);
        return png(c);
    }

    static XYChart chart(String title, String x, String y, int w, int h) {
        XYChart c = new XYChartBuilder().width(w).height(h).title(title).xAxisTitle(x).yAxisTitle(y).build();
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0xbbbbbb));
        s.setPlotGridLinesColor(GRID);
        s.setLegendBorderColor(new Color(0xdddddd));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(FONT, Font.BOLD, 18));
        s.setAxisTitleFont(new Font(FONT, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 13));
        s.setLegendFont(new Font(FONT, Font.PLAIN, 13));
        s.setChartFontColor(new Color(0x222222));
        s.setAxisTickLabelsColor(new Color(0x333333));
        s.setSeriesColors(PALETTE);
        s.setMarkerSize(6);
        s.setAntiAlias(true);
        return c;
    }

    private static void square(XYChart c) {
        XYStyler s = c.getStyler();
        s.setXAxisMin(0.0);
        s.setXAxisMax(1.0);
        s.setYAxisMin(0.0);
        s.setYAxisMax(1.0);
        s.setXAxisDecimalPattern("0.0");
        s.setYAxisDecimalPattern("0.0");
    }

    private static void reference(XYChart c, String name) {
        XYSeries d = c.addSeries(name, new double[]{0, 1}, new double[]{0, 1});
        d.setMarker(SeriesMarkers.NONE);
        d.setLineStyle(SeriesLines.DASH_DASH);
        d.setLineColor(REFERENCE);
        d.setLineWidth(1.5f);
    }

    private static void addFinite(XYChart c, String name, List<EpochRecord> history,
                                  java.util.function.ToDoubleFunction<EpochRecord> f) {
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (EpochRecord r : history) {
            double v = f.applyAsDouble(r);
            if (Double.isFinite(v)) {
                x.add((double) r.epoch());
                y.add(v);
            }
        }
        if (x.isEmpty()) return;
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(x.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        s.setLineWidth(2f);
    }

    /** XChart needs distinct series names; labels could collide once shortened. */
    private static String unique(XYChart c, String name) {
        String n = name;
        for (int i = 2; c.getSeriesMap().containsKey(n); i++) n = name + " #" + i;
        return n;
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static BufferedImage canvas() {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.dispose();
        return img;
    }

    private static byte[] png(XYChart c) {
        BufferedImage img = new BufferedImage(c.getWidth(), c.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        c.paint(g, c.getWidth(), c.getHeight());
        g.dispose();
        return png(img);
    }

    /** PNG bytes of an image (the report embeds them). */
    public static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer");
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory: cannot happen
        }
    }
}
