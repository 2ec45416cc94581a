package org.medmamba.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.medmamba.eval.Bootstrap;
import org.medmamba.eval.ClassMetrics;
import org.medmamba.eval.Metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.medmamba.eval.report.HtmlReport.esc;
import static org.medmamba.eval.report.HtmlReport.num;
import static org.medmamba.eval.report.HtmlReport.pct;

/**
 * The report's model card, for a reader who is not a developer: intended use, data, training,
 * performance with intervals, limitations, in words; no absolute path (datasets by name). The
 * developer's facts (configuration, paths, raw provenance) are folded into a details element.
 */
final class ModelCardHtml {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelCardHtml() {}

    static void append(StringBuilder h, Evaluation ev, ModelCard c) {
        Metrics m = ev.metrics();
        JsonNode training = json(c.provenance().get("training")), config = json(c.provenance().get("train_config"));
        h.append("<h2>Model card</h2>\n<div class=\"card-text\">\n");

        h.append("<h3>Intended use</h3>\n<p>Sorts one ").append(c.channels() == 1 ? "grayscale " : c.channels() == 3 ? "colour " : "")
                .append("image into one of ").append(ev.labels().size()).append(" classes: ").append(esc(String.join(", ", ev.labels())))
                .append(". It gives a probability per class; the class with the highest probability is its answer unless a threshold "
                        + "from the operating-point table is used. For research and teaching: it is not a medical device, has not been "
                        + "validated for diagnosis, and its output needs review by a qualified person. It knows only these classes and "
                        + "images like the ones it was trained on; any other image still gets one of these labels.</p>\n");

        h.append("<h3>Data</h3>\n<p>Evaluated on ").append(c.split() == null || c.split().equals("all") ? "all images" : "the <b>" + esc(c.split()) + "</b> split")
                .append(" of <b>").append(esc(c.dataSource() == null ? "unnamed data" : ModelCard.shortName(c.dataSource()))).append("</b>: ")
                .append(m.samples()).append(" images.");
        String trainData = ModelCard.shortName(c.provenance().get("data"));
        if (trainData != null) {
            h.append(" Trained on <b>").append(esc(trainData)).append("</b>");
            if (training != null && training.has("train_images"))
                h.append(": ").append(training.path("train_images").asLong()).append(" training and ")
                        .append(training.path("val_images").asLong()).append(" validation images");
            h.append('.');
        }
        h.append("</p>\n");
        Map<String, long[]> per = c.imagesPerSplit();
        h.append("<table class=\"compact\">\n<thead><tr><th class=\"label\">Class</th>");
        if (per.isEmpty()) h.append("<th>Evaluated</th>");
        else for (String s : per.keySet()) h.append("<th>").append(esc(s)).append("</th>");
        h.append("</tr></thead>\n<tbody>\n");
        for (int k = 0; k < ev.labels().size(); k++) {
            h.append("<tr><td class=\"label\">").append(esc(ev.labels().get(k))).append("</td>");
            if (per.isEmpty()) h.append("<td>").append(m.perClass().get(k).support()).append("</td>");
            else for (long[] counts : per.values()) h.append("<td>").append(k < counts.length ? counts[k] : 0).append("</td>");
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        if (!per.isEmpty()) h.append("<p class=\"note\">Images per class in each split of ")
                .append(esc(ModelCard.shortName(c.dataSource()))).append(".</p>\n");

        h.append("<h3>Training</h3>\n<p>").append(trainingText(c, training, config)).append("</p>\n");

        h.append("<h3>Performance</h3>\n<p>On the ").append(m.samples()).append(" evaluated images, with ")
                .append(Math.round(Evaluation.LEVEL * 100)).append(" % confidence intervals (bootstrap):</p>\n")
                .append("<table class=\"compact\">\n<thead><tr><th class=\"label\">Measure</th><th>Value</th><th>95 % interval</th></tr></thead>\n<tbody>\n");
        perfRow(h, "Accuracy (share called right)", pct(m.accuracy()), ev.accuracyCi(), true);
        perfRow(h, "Macro AUC (0.5 = chance, 1 = perfect ranking)", num(m.macroAuc()), ev.macroAucCi(), false);
        for (int k = 0; k < m.perClass().size(); k++) {
            ClassMetrics cm = m.perClass().get(k);
            if (cm.support() == 0) continue;
            perfRow(h, esc(cm.label()) + ": sensitivity (share of its images found)", num(cm.sensitivity()), ev.sensitivityCi().get(k), false);
            perfRow(h, esc(cm.label()) + ": specificity (share of other images not called " + esc(cm.label()) + ")", num(cm.specificity()),
                    ev.specificityCi().get(k), false);
        }
        h.append("</tbody>\n</table>\n");

        h.append("<h3>Limitations</h3>\n<ul>\n");
        for (String l : limitations(ev, c)) h.append("<li>").append(l).append("</li>\n");
        h.append("</ul>\n</div>\n");

        h.append("<details><summary>Developer details (architecture, paths, raw provenance)</summary>\n");
        HtmlReport.developerDetails(h, ev, c);
        h.append("</details>\n");
    }

    /** The recipe in words, from the bundle's train_config and training summary; what is unknown is left out. */
    static String trainingText(ModelCard c, JsonNode training, JsonNode config) {
        List<String> s = new ArrayList<>();
        if (c.epochs() >= 0 || training != null) {
            StringBuilder b = new StringBuilder();
            int planned = training == null ? -1 : training.path("epochs").asInt(-1);
            if (c.epochs() >= 0) b.append("Trained for ").append(c.epochs()).append(c.epochs() == 1 ? " epoch" : " epochs");
            if (planned > 0 && planned != c.epochs()) b.append(b.isEmpty() ? "Planned " : " (of ").append(planned).append(b.isEmpty() ? " epochs" : " planned)");
            if (training != null && training.has("epoch")) {
                b.append(b.isEmpty() ? "The" : "; the").append(" model kept is from epoch ").append(training.path("epoch").asInt());
                String by = training.path("select_by").asText("auc");
                JsonNode v = switch (by) { case "accuracy" -> training.get("val_accuracy"); case "loss" -> training.get("val_loss"); default -> training.get("val_auc"); };
                b.append(", the best by validation ").append(by.equals("auc") ? "macro AUC" : by);
                if (v != null && v.isNumber()) b.append(String.format(Locale.ROOT, " (%.3f)", v.asDouble()));
            }
            if (Double.isFinite(c.trainingSeconds())) b.append(", in ").append(HtmlReport.duration(c.trainingSeconds()));
            s.add(b.append('.').toString());
        }
        if (config != null) {
            StringBuilder b = new StringBuilder("Recipe: ");
            b.append("MedMamba ").append(esc(c.variant() == null ? config.path("variant").asText("") : c.variant()));
            if (c.parameters() >= 0) b.append(String.format(Locale.ROOT, " (%.2f M parameters)", c.parameters() / 1e6));
            b.append(", images resized to ").append(config.path("imageHeight").asInt()).append(" × ").append(config.path("imageWidth").asInt()).append(" px");
            b.append("; AdamW optimizer, learning rate ").append(sci(config.path("lr").asDouble()));
            double warm = config.path("warmupEpochs").asDouble();
            if (warm > 0) b.append(" reached after ").append(trim(warm)).append(warm == 1 ? " warm-up epoch" : " warm-up epochs");
            b.append(" then lowered along a cosine curve, weight decay ").append(trim(config.path("weightDecay").asDouble()));
            int batch = config.path("batchSize").asInt(), acc = config.path("accumulate").asInt(1);
            b.append(", batches of ").append(batch).append(acc > 1 ? " × " + acc + " accumulated" : "").append(" images");
            if (config.path("labelSmoothing").asDouble() > 0) b.append(", label smoothing ").append(trim(config.path("labelSmoothing").asDouble()));
            String cw = config.path("classWeights").asText("none");
            if (cw.equals("auto")) b.append(", rarer classes weighted up");
            else if (!cw.equals("none") && !cw.isEmpty()) b.append(", class weights ").append(esc(cw));
            if (config.path("dropPath").asDouble() > 0) b.append(", drop-path ").append(trim(config.path("dropPath").asDouble()));
            b.append(". ").append(augmentation(config.path("augmentation")));
            int stop = config.path("earlyStop").asInt(0);
            if (stop > 0) b.append(" Training stops after ").append(stop).append(" epochs without improvement.");
            s.add(b.toString());
        }
        return s.isEmpty() ? "Not recorded (the model was not trained by medmamba train)." : String.join(" ", s);
    }

    private static String augmentation(JsonNode a) {
        if (a == null || a.isMissingNode() || a.isNull()) return "No augmentation recorded.";
        List<String> parts = new ArrayList<>();
        double smin = a.path("scaleMin").asDouble(1), smax = a.path("scaleMax").asDouble(1);
        if (smin < 1) parts.add("random crops of " + Math.round(smin * 100) + "–" + Math.round(smax * 100) + " % of the area");
        if (a.path("flipP").asDouble() > 0) parts.add("left–right flips (" + Math.round(a.path("flipP").asDouble() * 100) + " % of images)");
        if (a.path("degrees").asDouble() > 0) parts.add("rotations up to ±" + trim(a.path("degrees").asDouble()) + "°");
        if (a.path("brightness").asDouble() > 0) parts.add("brightness ±" + Math.round(a.path("brightness").asDouble() * 100) + " %");
        if (a.path("contrast").asDouble() > 0) parts.add("contrast ±" + Math.round(a.path("contrast").asDouble() * 100) + " %");
        if (a.path("translate").asDouble() > 0) parts.add("shifts up to " + Math.round(a.path("translate").asDouble() * 100) + " % of the size");
        return parts.isEmpty() ? "No augmentation." : "Training images were varied by " + String.join(", ", parts) + ".";
    }

    /** What a reader should keep in mind, from the numbers; the first few always apply. */
    static List<String> limitations(Evaluation ev, ModelCard c) {
        List<String> out = new ArrayList<>();
        Metrics m = ev.metrics();
        if (!ev.neverPredicted().isEmpty())
            out.add("It never predicts " + String.join(", ", ev.neverPredicted().stream().map(HtmlReport::esc).toList())
                    + " on this data: unusable for " + (ev.neverPredicted().size() == 1 ? "that class" : "those classes") + " as it stands.");
        if (!ev.absent().isEmpty())
            out.add("Not evaluated on " + String.join(", ", ev.absent().stream().map(HtmlReport::esc).toList()) + " (no such image in the data).");
        long smallest = m.perClass().stream().mapToLong(ClassMetrics::support).filter(v -> v > 0).min().orElse(0);
        if (m.samples() < 200 || smallest < 30)
            out.add("Small evaluation: " + m.samples() + " images, the smallest class " + smallest
                    + ". The intervals above are wide; the true performance may be anywhere in them.");
        JsonNode training = json(c.provenance().get("training"));
        int best = training == null ? -1 : training.path("epoch").asInt(-1);
        if (best > 0 && c.epochs() >= 8 && best <= c.epochs() / 4)
            out.add("The model kept is from epoch " + best + " of " + c.epochs() + ": validation did not improve after it, a sign of "
                    + "over-fitting or of a validation set too small to choose a model on.");
        if ("train".equals(c.split()) || "all".equals(c.split()))
            out.add("Evaluated on images " + ("train".equals(c.split()) ? "" : "that may have been ") + "used in training: the numbers are optimistic.");
        if (ev.calibration().ece() > 0.1)
            out.add(String.format(Locale.ROOT, "The probabilities are not calibrated (expected calibration error %.3f): read them as a ranking, not as chances.", ev.calibration().ece()));
        out.add("One dataset: how it does on other scanners, sites, protocols or patient groups is unknown.");
        out.add("Thresholds in the operating-point table are chosen on this same data and are optimistic; confirm them on independent data.");
        return out;
    }

    private static void perfRow(StringBuilder h, String nameHtml, String value, Bootstrap.Interval ci, boolean percent) {
        String interval = Double.isNaN(ci.low()) ? "n/a" : percent ? pct(ci.low()) + " – " + pct(ci.high()) : num(ci.low()) + " – " + num(ci.high());
        h.append("<tr><td class=\"label\">").append(nameHtml).append("</td><td>").append(value).append("</td><td>").append(interval).append("</td></tr>\n");
    }

    private static JsonNode json(String s) {
        if (s == null) return null;
        try {
            JsonNode n = JSON.readTree(s);
            return n != null && n.isObject() ? n : null;
        } catch (Exception e) {
            return null; // free-form provenance from elsewhere: shown raw in the details only
        }
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.0e", v).replace("e-0", "e-");
    }

    private static String trim(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }
}
