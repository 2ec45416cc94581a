package org.medmamba.eval.report;

import org.medmamba.io.Software;
import org.medmamba.train.EpochRecord;
import org.medmamba.eval.Bootstrap;
import org.medmamba.eval.Calibration;
import org.medmamba.eval.ClassMetrics;
import org.medmamba.eval.Metrics;
import org.medmamba.eval.OperatingPoint;
import org.medmamba.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.html: one self-contained page (plots embedded as data: URIs, inline CSS, no script, no
 * external resource) that opens offline. Every string from the data is HTML-escaped.
 */
public final class HtmlReport {
    /** Rows in the table of most confident mistakes. */
    public static final int MISTAKES = 20;

    private HtmlReport() {}

    /** plots: PNG bytes by file name, as {@link Plots#all} returns them. */
    public static void write(Path file, Evaluation ev, ModelCard card, List<EpochRecord> history,
                             Map<String, byte[]> plots, Instant generated) throws IOException {
        write(file, ev, card, history, plots, Map.of(), generated);
    }

    /** thumbnails: PNG bytes by sample index, shown in the mistakes table. */
    public static void write(Path file, Evaluation ev, ModelCard card, List<EpochRecord> history,
                             Map<String, byte[]> plots, Map<Integer, byte[]> thumbnails, Instant generated) throws IOException {
        write(file, ev, card, history, plots, thumbnails, Gallery.NONE, generated);
    }

    /** gallery: per class the most confident right and wrong images with their overlays (no section when empty). */
    public static void write(Path file, Evaluation ev, ModelCard card, List<EpochRecord> history,
                             Map<String, byte[]> plots, Map<Integer, byte[]> thumbnails, Gallery gallery, Instant generated) throws IOException {
        byte[] html = render(ev, card, history, plots, thumbnails, gallery, generated).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(html));
    }

    public static String render(Evaluation ev, ModelCard card, List<EpochRecord> history,
                                Map<String, byte[]> plots, Instant generated) {
        return render(ev, card, history, plots, Map.of(), generated);
    }

    public static String render(Evaluation ev, ModelCard card, List<EpochRecord> history,
                                Map<String, byte[]> plots, Map<Integer, byte[]> thumbnails, Instant generated) {
        return render(ev, card, history, plots, thumbnails, Gallery.NONE, generated);
    }

    public static String render(Evaluation ev, ModelCard card, List<EpochRecord> history,
                                Map<String, byte[]> plots, Map<Integer, byte[]> thumbnails, Gallery gallery, Instant generated) {
        Metrics m = ev.metrics();
        StringBuilder h = new StringBuilder(1 << 16);
        String title = "MedMamba evaluation" + (card.dataSource() != null ? " — " + ModelCard.shortName(card.dataSource()) : "")
                + (card.split() != null ? " (" + card.split() + ")" : "");
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        h.append("<p class=\"sub\">").append(m.samples()).append(" samples · ").append(ev.labels().size())
                .append(" classes · generated ").append(esc(DATE.format(generated))).append(" by ")
                .append(esc(Software.nameAndVersion())).append("</p>\n");
        warnings(h, ev);

        // headline numbers
        h.append("<section class=\"cards\">\n");
        card(h, "Accuracy", pct(m.accuracy()), ci(ev.accuracyCi(), true));
        card(h, "Macro AUC", num(m.macroAuc()), ci(ev.macroAucCi(), false));
        card(h, "Balanced accuracy", pct(m.balancedAccuracy()), "mean recall over classes present");
        card(h, "Cohen's κ", num(m.kappa()), "agreement beyond chance");
        card(h, "Macro sensitivity", num(m.macroSensitivity()), "recall, mean over classes");
        card(h, "Macro specificity", num(m.macroSpecificity()), "mean over classes");
        card(h, "Macro precision", num(m.macroPrecision()), "mean over classes");
        card(h, "Macro F1", num(m.macroF1()), "mean over classes");
        h.append("</section>\n");
        h.append("<p class=\"note\">Intervals: ").append(Math.round(Evaluation.LEVEL * 100)).append(" % percentile bootstrap, ")
                .append(ev.accuracyCi().resamples()).append(" resamples of the ").append(m.samples())
                .append(" samples, seed ").append(ev.seed()).append(".</p>\n");

        ModelCardHtml.append(h, ev, card);

        // per class
        h.append("<h2>Per class (one-vs-rest)</h2>\n<table>\n<thead><tr><th>Class</th><th>Support</th><th>Sensitivity</th>"
                + "<th>Specificity</th><th>Precision</th><th>F1</th><th>AUC</th><th>AP</th></tr></thead>\n<tbody>\n");
        for (int k = 0; k < m.perClass().size(); k++) {
            ClassMetrics c = m.perClass().get(k);
            h.append("<tr><td class=\"label\">").append(esc(c.label())).append("</td><td>").append(c.support())
                    .append("</td><td>").append(num(c.sensitivity())).append("</td><td>").append(num(c.specificity()))
                    .append("</td><td>").append(num(c.precision())).append("</td><td>").append(num(c.f1()))
                    .append("</td><td>").append(num(c.auc())).append("</td><td>").append(num(ev.pr().get(k).ap())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<p class=\"note\">AP: average precision, the area under the class's precision–recall curve "
                + "(step sum, as scikit-learn); a classifier that guesses gets the class's prevalence.</p>\n");
        operatingPoints(h, ev);

        // confusion matrix
        long[][] cm = m.confusion().counts();
        // many or long labels: number the columns and say which number is which class in the row headers
        boolean numbered = cm.length > 6 || ev.labels().stream().anyMatch(l -> l.length() > 14);
        h.append("<h2>Confusion matrix</h2>\n<p class=\"note\">Rows: true class; columns: predicted class")
                .append(numbered ? " (numbered as the rows)" : "").append(".</p>\n")
                .append("<div class=\"scroll\"><table class=\"cm\">\n<thead><tr><th>true \\ predicted</th>");
        for (int p = 0; p < cm.length; p++)
            h.append("<th>").append(numbered ? Integer.toString(p + 1) : esc(ev.labels().get(p))).append("</th>");
        h.append("<th>Total</th></tr></thead>\n<tbody>\n");
        for (int t = 0; t < cm.length; t++) {
            h.append("<tr><th class=\"label\">").append(numbered ? (t + 1) + " · " : "").append(esc(ev.labels().get(t))).append("</th>");
            long row = 0;
            for (long v : cm[t]) row += v;
            for (int p = 0; p < cm.length; p++) {
                double f = row == 0 ? 0 : (double) cm[t][p] / row;
                h.append("<td").append(t == p ? " class=\"diag\"" : "")
                        .append(String.format(Locale.ROOT, " style=\"background:rgba(8,48,107,%.2f);color:%s\"", 0.85 * Math.sqrt(f),
                                0.85 * Math.sqrt(f) > 0.45 ? "#fff" : "#222"))
                        .append(">").append(cm[t][p]).append("</td>");
            }
            h.append("<td class=\"total\">").append(row).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table></div>\n");

        // plots
        h.append("<h2>Plots</h2>\n");
        if (plots.containsKey(Plots.LEARNING)) figure(h, plots, Plots.LEARNING, "Learning curves: loss per epoch (top), validation accuracy and macro AUC (bottom).");
        else h.append("<p class=\"note\">No training history (metrics.jsonl) was given, so there are no learning curves.</p>\n");
        figure(h, plots, Plots.ROC, "One-vs-rest ROC curve per class; the dashed diagonal is chance.");
        long undefined = ev.roc().stream().filter(r -> Double.isNaN(r.auc())).count();
        if (undefined > 0) h.append("<p class=\"note\">").append(undefined)
                .append(" class(es) without positive or negative samples have no ROC curve and are left out of the macro AUC.</p>\n");
        figure(h, plots, Plots.PR, "One-vs-rest precision–recall curve per class, as the threshold falls: precision (PPV, the share of the images called the class that are it) against recall (sensitivity, the share of the class found); AP is the area under the steps.");
        figure(h, plots, Plots.CONFUSION, "Confusion matrix: counts and row percentages; colour is the fraction of the true class.");
        figure(h, plots, Plots.CALIBRATION, "Reliability diagram: per confidence bin, the accuracy against the mean confidence; the dashed diagonal is perfect calibration, grey bars the share of samples per bin.");
        h.append("<p class=\"note\">Expected calibration error (ECE): ").append(num(ev.calibration().ece()))
                .append(" — the sample-weighted mean gap between accuracy and confidence over ").append(Evaluation.BINS)
                .append(" equal-width bins.</p>\n");
        calibrationTable(h, ev.calibration());

        if (!history.isEmpty()) historyTable(h, history);

        // mistakes
        List<Evaluation.Mistake> mistakes = ev.confidentMistakes(MISTAKES);
        h.append("<h2>Most confident mistakes</h2>\n");
        if (mistakes.isEmpty()) h.append("<p class=\"note\">No sample is misclassified.</p>\n");
        else {
            boolean thumbs = mistakes.stream().anyMatch(x -> thumbnails.containsKey(x.sample()));
            h.append("<table>\n<thead><tr><th>#</th>").append(thumbs ? "<th class=\"label\">Image</th>" : "")
                    .append("<th class=\"label\">File</th><th class=\"label\">True class</th><th class=\"label\">Predicted</th>"
                    + "<th>P(predicted)</th><th>P(true)</th></tr></thead>\n<tbody>\n");
            int r = 1;
            for (Evaluation.Mistake x : mistakes) {
                h.append("<tr><td>").append(r++).append("</td>");
                if (thumbs) {
                    byte[] png = thumbnails.get(x.sample());
                    h.append("<td class=\"thumb\">");
                    if (png != null) h.append("<img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                            .append("\" alt=\"").append(esc(x.file())).append("\">");
                    h.append("</td>");
                }
                h.append("<td class=\"file\">").append(esc(x.file()))
                        .append("</td><td class=\"label\">").append(esc(ev.labels().get(x.truth())))
                        .append("</td><td class=\"label\">").append(esc(ev.labels().get(x.predicted())))
                        .append("</td><td>").append(num(x.confidence())).append("</td><td>").append(num(x.truthProbability()))
                        .append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        }
        gallery(h, ev, gallery);
        h.append("<footer>Generated ").append(esc(DATE.format(generated))).append(" by ").append(esc(Software.nameAndVersion()))
                .append(". Metric definitions follow scikit-learn; see docs/report.md. Numbers also in metrics.json, one row per image in predictions.csv.</footer>\n");
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    /** Per class a row: the most confident right image, then the most confident wrong one, each with one overlay per method. */
    private static void gallery(StringBuilder h, Evaluation ev, Gallery g) {
        if (g.entries().isEmpty()) return;
        h.append("<h2 id=\"gallery\">Gallery</h2>\n<p class=\"note\">Per class, the most confident correct and the most confident wrong image, "
                + "with the ").append(esc(String.join(" and ", g.methods()))).append(" map of the <em>predicted</em> class over the image as the model "
                + "sees it (blue low, red high; docs/explain.md). A map shows where the model's evidence lies, not whether it is right.</p>\n");
        h.append("<div class=\"gallery\">\n");
        for (int c = 0; c < ev.labels().size(); c++) {
            int cls = c;
            List<Gallery.Entry> row = g.entries().stream().filter(e -> e.pick().classIndex() == cls).toList();
            if (row.isEmpty()) continue;
            h.append("<section class=\"gclass\" data-class=\"").append(esc(ev.labels().get(c))).append("\"><h3>")
                    .append(esc(ev.labels().get(c))).append("</h3>\n");
            for (Gallery.Entry e : row) {
                Gallery.Pick p = e.pick();
                int pred = ev.predicted(p.sample());
                h.append("<figure class=\"").append(p.correct() ? "right" : "wrong").append("\">");
                for (String method : g.methods()) {
                    byte[] png = e.overlays().get(method);
                    if (png == null) continue;
                    h.append("<img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\" alt=\"")
                            .append(esc(method + " of " + ev.name(p.sample()))).append("\" data-file=\"").append(esc(Gallery.fileName(p, method)))
                            .append("\">");
                }
                h.append("<figcaption>").append(p.correct() ? "<b>correct</b>" : "<b class=\"bad\">wrong</b>: called <b>"
                        + esc(ev.labels().get(pred)) + "</b>").append(", P = ").append(num(ev.probs()[p.sample()][pred]))
                        .append("<br><span class=\"file\">").append(esc(ev.name(p.sample()))).append("</span></figcaption></figure>\n");
            }
            h.append("</section>\n");
        }
        h.append("</div>\n");
    }

    /** A box at the top for what makes the headline numbers misleading: classes never predicted or absent. */
    private static void warnings(StringBuilder h, Evaluation ev) {
        List<String> never = ev.neverPredicted(), absent = ev.absent();
        if (never.isEmpty() && absent.isEmpty()) return;
        h.append("<div class=\"warn\" role=\"alert\"><strong>Warning</strong><ul>\n");
        if (!never.isEmpty()) h.append("<li>The model never predicts ").append(never.size() == 1 ? "class " : "classes ")
                .append(quoted(never)).append(": each of ").append(never.size() == 1 ? "its" : "their")
                .append(" images is called something else (sensitivity 0). The headline numbers hide this.</li>\n");
        if (!absent.isEmpty()) h.append("<li>").append(absent.size() == 1 ? "Class " : "Classes ").append(quoted(absent))
                .append(absent.size() == 1 ? " has" : " have").append(" no image in the evaluated data: nothing here says how the model does on ")
                .append(absent.size() == 1 ? "it" : "them").append(" (no sensitivity, AUC or AP).</li>\n");
        h.append("</ul></div>\n");
    }

    private static String quoted(List<String> labels) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < labels.size(); i++)
            b.append(i == 0 ? "" : i == labels.size() - 1 ? " and " : ", ").append("<b>").append(esc(labels.get(i))).append("</b>");
        return b.toString();
    }

    private static void operatingPoints(StringBuilder h, Evaluation ev) {
        h.append("<h2>Operating points</h2>\n<p class=\"note\">Per class, one-vs-rest: an image is called the class when its probability is ≥ the "
                + "threshold (argmax: when the class has the highest probability, as in the tables above). Sensitivity ≥ ")
                .append(Evaluation.TARGET).append(": the highest threshold that still finds ").append(Math.round(Evaluation.TARGET * 100))
                .append(" % of the class (rule-out); specificity ≥ ").append(Evaluation.TARGET).append(": the lowest threshold that keeps ")
                .append(Math.round(Evaluation.TARGET * 100)).append(" % of the other images out (rule-in). Thresholds chosen on this data "
                        + "are optimistic for new data. PPV, NPV: predictive values at this data's prevalence; n/a: no image called (or not called).</p>\n");
        h.append("<table class=\"compact ops\">\n<thead><tr><th class=\"label\">Class</th><th class=\"label\">Rule</th><th>Threshold</th>"
                + "<th>Sensitivity</th><th>Specificity</th><th>PPV</th><th>NPV</th><th>TP</th><th>FP</th><th>TN</th><th>FN</th></tr></thead>\n<tbody>\n");
        for (int c = 0; c < ev.labels().size(); c++) {
            List<OperatingPoint> ops = ev.operatingPoints().get(c);
            for (int r = 0; r < ops.size(); r++) {
                OperatingPoint o = ops.get(r);
                h.append("<tr").append(r == 0 ? " class=\"first\"" : "").append(">");
                if (r == 0) h.append("<td class=\"label\" rowspan=\"").append(ops.size()).append("\">").append(esc(ev.labels().get(c))).append("</td>");
                h.append("<td class=\"label\">").append(esc(o.rule())).append("</td><td>").append(threshold(o.threshold()))
                        .append("</td><td>").append(num(o.sensitivity())).append("</td><td>").append(num(o.specificity()))
                        .append("</td><td>").append(num(o.ppv())).append("</td><td>").append(num(o.npv()))
                        .append("</td><td>").append(o.tp()).append("</td><td>").append(o.fp()).append("</td><td>").append(o.tn())
                        .append("</td><td>").append(o.fn()).append("</td></tr>\n");
            }
        }
        h.append("</tbody>\n</table>\n");
    }

    static String threshold(double t) {
        if (Double.isNaN(t)) return "–";
        return t > 1 ? "> 1 (none)" : String.format(Locale.ROOT, "%.4f", t);
    }

    /** The developer's view of the model card: architecture, paths, raw provenance (folded away in the report). */
    static void developerDetails(StringBuilder h, Evaluation ev, ModelCard c) {
        h.append("<table class=\"kv\">\n");
        if (c.variant() != null) kv(h, "Architecture", esc("MedMamba " + c.variant()));
        if (c.config() != null) kv(h, "Configuration", "<code>" + esc(c.config()) + "</code>");
        if (c.parameters() >= 0) kv(h, "Parameters", String.format(Locale.ROOT, "%,d (%.2f M)", c.parameters(), c.parameters() / 1e6));
        if (c.imageHeight() > 0) kv(h, "Input size", c.imageHeight() + " × " + c.imageWidth() + " px");
        if (c.channels() > 0) kv(h, "Channels", c.channels() + (c.channels() == 1 ? " (grayscale)" : c.channels() == 3 ? " (RGB)" : ""));
        if (c.mean() != null) kv(h, "Normalisation", "mean " + esc(floats(c.mean())) + ", std " + esc(floats(c.std())));
        kv(h, "Classes", ev.labels().size() + ": " + esc(String.join(", ", ev.labels())));
        if (c.dataSource() != null) kv(h, "Evaluated on", "<code>" + esc(c.dataSource()) + "</code>");
        if (c.split() != null) kv(h, "Split", esc(c.split()));
        kv(h, "Samples", Integer.toString(ev.metrics().samples()));
        if (c.epochs() >= 0) kv(h, "Training epochs", c.epochs() + (c.selection() == null ? "" : esc(" (model from " + c.selection() + ")")));
        else if (c.selection() != null) kv(h, "Model from", esc(c.selection()));
        if (Double.isFinite(c.trainingSeconds())) kv(h, "Training time", duration(c.trainingSeconds()));
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(c.provenance()).entrySet())
            kv(h, esc("Provenance: " + e.getKey()), "<code>" + esc(e.getValue()) + "</code>");
        h.append("</table>\n");
    }

    private static void calibrationTable(StringBuilder h, Calibration cal) {
        int k = cal.count().length;
        h.append("<table class=\"compact\">\n<thead><tr><th>Confidence bin</th>");
        for (int b = 0; b < k; b++) h.append(String.format(Locale.ROOT, "<th>%.1f–%.1f</th>", (double) b / k, (double) (b + 1) / k));
        h.append("</tr></thead>\n<tbody>\n<tr><th>Samples</th>");
        for (int b = 0; b < k; b++) h.append("<td>").append(cal.count()[b]).append("</td>");
        h.append("</tr>\n<tr><th>Mean confidence</th>");
        for (int b = 0; b < k; b++) h.append("<td>").append(cal.count()[b] == 0 ? "–" : num(cal.confidence()[b])).append("</td>");
        h.append("</tr>\n<tr><th>Accuracy</th>");
        for (int b = 0; b < k; b++) h.append("<td>").append(cal.count()[b] == 0 ? "–" : num(cal.accuracy()[b])).append("</td>");
        h.append("</tr>\n</tbody>\n</table>\n");
    }

    private static void historyTable(StringBuilder h, List<EpochRecord> history) {
        h.append("<h2>Training history</h2>\n<table class=\"compact\">\n<thead><tr><th>Epoch</th><th>Train loss</th><th>Val loss</th>"
                + "<th>Val accuracy</th><th>Val AUC</th><th>Learning rate</th><th>Time</th></tr></thead>\n<tbody>\n");
        for (EpochRecord r : history)
            h.append("<tr><td>").append(r.epoch()).append("</td><td>").append(num(r.trainLoss())).append("</td><td>")
                    .append(num(r.valLoss())).append("</td><td>").append(num(r.valAccuracy())).append("</td><td>")
                    .append(num(r.valAuc())).append("</td><td>")
                    .append(Double.isFinite(r.lr()) ? String.format(Locale.ROOT, "%.2e", r.lr()) : "–").append("</td><td>")
                    .append(Double.isFinite(r.seconds()) ? duration(r.seconds()) : "–").append("</td></tr>\n");
        h.append("</tbody>\n</table>\n");
    }

    private static void figure(StringBuilder h, Map<String, byte[]> plots, String name, String caption) {
        byte[] png = plots.get(name);
        if (png == null) return;
        h.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\" width=\"").append(Plots.WIDTH).append("\" height=\"").append(Plots.HEIGHT)
                .append("\" alt=\"").append(esc(caption)).append("\" data-file=\"").append(esc(name)).append("\">")
                .append("<figcaption>").append(esc(caption)).append(" (<a href=\"").append(esc(name)).append("\">")
                .append(esc(name)).append("</a>)</figcaption></figure>\n");
    }

    private static void card(StringBuilder h, String name, String value, String detail) {
        h.append("<div class=\"card\"><div class=\"name\">").append(esc(name)).append("</div><div class=\"value\">")
                .append(value).append("</div><div class=\"detail\">").append(esc(detail)).append("</div></div>\n");
    }

    static void kv(StringBuilder h, String keyHtml, String valueHtml) {
        h.append("<tr><th>").append(keyHtml).append("</th><td>").append(valueHtml).append("</td></tr>\n");
    }

    static String ci(Bootstrap.Interval ci, boolean percent) {
        if (Double.isNaN(ci.low())) return "95 % CI undefined";
        return Math.round(Evaluation.LEVEL * 100) + " % CI " + (percent ? pct(ci.low()) + " – " + pct(ci.high())
                : num(ci.low()) + " – " + num(ci.high()));
    }

    static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
    }

    private static String floats(float[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) s.append(i > 0 ? ", " : "").append(v[i]);
        return s.append(']').toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return String.format(Locale.ROOT, "%.1f s", seconds);
        if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') b.append('\uFFFD'); // control characters are not allowed in HTML
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private static final String CSS = """
            body{margin:0;background:#f6f7f9;color:#1d2430;font:15px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
            main{max-width:1000px;margin:0 auto;padding:28px 36px 40px;background:#fff;box-shadow:0 0 0 1px #e3e6ea}
            h1{font-size:26px;margin:0 0 4px;overflow-wrap:anywhere}
            h2{font-size:19px;margin:34px 0 10px;padding-bottom:4px;border-bottom:2px solid #e3e6ea}
            .sub,.note,figcaption,footer{color:#5b6472;font-size:13px}
            .cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:18px 0 14px}
            .card{border:1px solid #e3e6ea;border-radius:8px;padding:12px 16px;background:#fbfcfd}
            .card .name{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#5b6472}
            .card .value{font-size:26px;font-weight:600;color:#0b3d91;font-variant-numeric:tabular-nums}
            .card .detail{font-size:12px;color:#5b6472;min-height:1.2em}
            table{border-collapse:collapse;margin:8px 0 12px;font-variant-numeric:tabular-nums}
            th,td{padding:5px 12px;border-bottom:1px solid #e9ecef;text-align:right}
            thead th{border-bottom:2px solid #cfd4da;background:#f8f9fa;font-weight:600}
            th:first-child,td.label,td.file,th.label{text-align:left}
            td.file{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;overflow-wrap:anywhere;max-width:420px}
            table.kv th{text-align:left;font-weight:500;color:#5b6472;width:210px;vertical-align:top}
            table.kv td{text-align:left;overflow-wrap:anywhere}
            table.kv.narrow th{width:auto}
            table.cm td{text-align:center;min-width:40px;padding:5px 6px;border:1px solid #fff}
            table.cm td.diag{font-weight:700}
            table.cm th.label{min-width:150px;max-width:260px}
            .scroll{overflow-x:auto}
            table.cm td.total{background:#f8f9fa;color:#5b6472}
            table.compact th,table.compact td{padding:3px 8px;font-size:13px}
            code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;background:#f3f4f6;padding:1px 4px;border-radius:3px}
            figure{margin:18px 0;text-align:center}
            figure img{max-width:100%;height:auto;border:1px solid #e3e6ea;border-radius:4px}
            a{color:#0b5cad}
            .warn{border:1px solid #e0a800;border-left:6px solid #d9534f;background:#fff8e1;border-radius:6px;padding:10px 16px;margin:16px 0}
            .warn ul{margin:4px 0 0;padding-left:20px}
            td.thumb{padding:3px 6px}
            .gallery section{margin:0 0 14px}
            .gallery h3{font-size:15px;margin:10px 0 6px}
            .gallery figure{display:inline-block;vertical-align:top;margin:0 14px 8px 0;padding:6px;border:1px solid #e3e6ea;border-radius:6px}
            .gallery figure.wrong{border-color:#e0a0a0}
            .gallery img{display:inline-block;width:220px;height:auto;margin-right:4px}
            .gallery figcaption{font-size:13px;margin-top:4px}
            .gallery .bad{color:#b3261e}
            .gallery .file{color:#666;font-size:12px}
            td.thumb img{display:block;max-width:72px;max-height:72px;image-rendering:auto;border:1px solid #e3e6ea}
            table.ops tr.first td{border-top:2px solid #cfd4da}
            table.ops td.label[rowspan]{vertical-align:top;font-weight:600}
            h3{font-size:16px;margin:20px 0 6px}
            .card-text p,.card-text li{max-width:820px}
            details{margin:14px 0;border:1px solid #e3e6ea;border-radius:6px;padding:6px 12px;background:#fbfcfd}
            summary{cursor:pointer;color:#5b6472}
            footer{margin-top:36px;padding-top:10px;border-top:1px solid #e3e6ea}
            @media print{body{background:#fff}main{box-shadow:none}}
            """;
}
