package org.medmamba.eval.report;

import org.medmamba.io.Software;
import org.medmamba.io.JsonNumbers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medmamba.eval.Bootstrap;
import org.medmamba.eval.Calibration;
import org.medmamba.eval.ClassMetrics;
import org.medmamba.eval.Metrics;
import org.medmamba.eval.OperatingPoint;
import org.medmamba.eval.PrCurve;
import org.medmamba.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** metrics.json: every number of the report, machine-readable (NaN is null). Layout in docs/report.md. */
public final class MetricsJson {
    public static final String FORMAT = "medmamba-metrics/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MetricsJson() {}

    public static void write(Path file, Evaluation ev, ModelCard card, Instant generated) throws IOException {
        ObjectNode root = toJson(ev, card, generated);
        byte[] bytes = JSON.writeValueAsBytes(root);
        AtomicFiles.write(file, out -> {
            out.write(bytes);
            out.write('\n');
        });
    }

    public static ObjectNode toJson(Evaluation ev, ModelCard card, Instant generated) {
        Metrics m = ev.metrics();
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("generated", generated.toString());
        o.put("software", Software.nameAndVersion());
        o.put("samples", m.samples());
        JsonNumbers.put(o, "accuracy", m.accuracy());
        o.set("accuracy_ci", interval(ev.accuracyCi(), ev.seed()));
        JsonNumbers.put(o, "balanced_accuracy", m.balancedAccuracy());
        JsonNumbers.put(o, "macro_auc", m.macroAuc());
        o.set("macro_auc_ci", interval(ev.macroAucCi(), ev.seed()));
        JsonNumbers.put(o, "macro_sensitivity", m.macroSensitivity());
        JsonNumbers.put(o, "macro_specificity", m.macroSpecificity());
        JsonNumbers.put(o, "macro_precision", m.macroPrecision());
        JsonNumbers.put(o, "macro_f1", m.macroF1());
        JsonNumbers.put(o, "kappa", m.kappa());
        ObjectNode warn = o.putObject("warnings");
        ev.neverPredicted().forEach(warn.putArray("never_predicted")::add);
        ev.absent().forEach(warn.putArray("absent")::add);
        ArrayNode per = o.putArray("per_class");
        for (int k = 0; k < m.perClass().size(); k++) {
            ClassMetrics c = m.perClass().get(k);
            ObjectNode p = per.addObject();
            p.put("label", c.label());
            p.put("support", c.support());
            JsonNumbers.put(p, "sensitivity", c.sensitivity());
            JsonNumbers.put(p, "specificity", c.specificity());
            JsonNumbers.put(p, "precision", c.precision());
            JsonNumbers.put(p, "f1", c.f1());
            JsonNumbers.put(p, "auc", c.auc());
            JsonNumbers.put(p, "average_precision", ev.pr().get(k).ap());
            p.set("sensitivity_ci", interval(ev.sensitivityCi().get(k), ev.seed()));
            p.set("specificity_ci", interval(ev.specificityCi().get(k), ev.seed()));
        }
        ArrayNode ops = o.putArray("operating_points");
        for (int k = 0; k < m.perClass().size(); k++) {
            ObjectNode c = ops.addObject();
            c.put("label", ev.labels().get(k));
            ArrayNode pts = c.putArray("points");
            for (OperatingPoint op : ev.operatingPoints().get(k)) {
                ObjectNode q = pts.addObject();
                q.put("rule", op.rule());
                JsonNumbers.put(q, "threshold", shortest(op.threshold()));
                JsonNumbers.put(q, "sensitivity", op.sensitivity());
                JsonNumbers.put(q, "specificity", op.specificity());
                JsonNumbers.put(q, "ppv", op.ppv());
                JsonNumbers.put(q, "npv", op.npv());
                q.put("tp", op.tp()).put("fp", op.fp()).put("tn", op.tn()).put("fn", op.fn());
            }
        }
        ArrayNode prs = o.putArray("precision_recall");
        for (int k = 0; k < m.perClass().size(); k++) {
            PrCurve pr = ev.pr().get(k);
            ObjectNode c = prs.addObject();
            c.put("label", ev.labels().get(k));
            JsonNumbers.put(c, "average_precision", pr.ap());
            ArrayNode t = c.putArray("thresholds"), r = c.putArray("recall"), pp = c.putArray("precision");
            for (double v : pr.threshold()) t.add(shortest(v));
            for (int i = 0; i < pr.recall().length; i++) {
                if (Double.isNaN(pr.recall()[i])) r.addNull();
                else r.add(pr.recall()[i]);
                pp.add(pr.precision()[i]);
            }
        }
        ObjectNode cm = o.putObject("confusion_matrix");
        cm.put("rows", "true class");
        cm.put("columns", "predicted class");
        ArrayNode labels = cm.putArray("labels");
        ev.labels().forEach(labels::add);
        ArrayNode counts = cm.putArray("counts");
        for (long[] row : m.confusion().counts()) {
            ArrayNode r = counts.addArray();
            for (long v : row) r.add(v);
        }
        o.set("calibration", calibration(ev.calibration()));
        o.set("model", model(card));
        return o;
    }

    private static ObjectNode interval(Bootstrap.Interval ci, long seed) {
        ObjectNode o = JSON.createObjectNode();
        JsonNumbers.put(o, "low", ci.low());
        JsonNumbers.put(o, "high", ci.high());
        o.put("level", Evaluation.LEVEL);
        o.put("method", "percentile bootstrap");
        o.put("resamples", ci.resamples());
        o.put("skipped", ci.skipped());
        o.put("seed", seed);
        return o;
    }

    private static ObjectNode calibration(Calibration cal) {
        ObjectNode o = JSON.createObjectNode();
        JsonNumbers.put(o, "ece", cal.ece());
        ArrayNode bins = o.putArray("bins");
        int k = cal.count().length;
        for (int b = 0; b < k; b++) {
            ObjectNode bin = bins.addObject();
            bin.put("low", (double) b / k);
            bin.put("high", (double) (b + 1) / k);
            bin.put("count", cal.count()[b]);
            boolean empty = cal.count()[b] == 0; // empty bins have no mean
            JsonNumbers.put(bin, "confidence", empty ? Double.NaN : cal.confidence()[b]);
            JsonNumbers.put(bin, "accuracy", empty ? Double.NaN : cal.accuracy()[b]);
        }
        return o;
    }

    private static ObjectNode model(ModelCard c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("variant", c.variant());
        o.put("config", c.config());
        if (c.parameters() >= 0) o.put("parameters", c.parameters());
        else o.putNull("parameters");
        if (c.imageHeight() > 0) o.putArray("image_size").add(c.imageHeight()).add(c.imageWidth());
        else o.putNull("image_size");
        if (c.channels() > 0) o.put("channels", c.channels());
        else o.putNull("channels");
        floats(o, "mean", c.mean());
        floats(o, "std", c.std());
        o.put("data_source", c.dataSource());
        o.put("split", c.split());
        if (c.epochs() >= 0) o.put("epochs", c.epochs());
        else o.putNull("epochs");
        JsonNumbers.put(o, "training_seconds", c.trainingSeconds());
        ObjectNode prov = o.putObject("provenance");
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(c.provenance()).entrySet()) prov.put(e.getKey(), e.getValue());
        ObjectNode splits = o.putObject("images_per_split");
        for (Map.Entry<String, long[]> e : c.imagesPerSplit().entrySet()) {
            ArrayNode a = splits.putArray(e.getKey());
            for (long v : e.getValue()) a.add(v);
        }
        return o;
    }

    /** A threshold that is a float probability as that float's shortest decimal (0.8, not 0.800000011920929). */
    private static double shortest(double v) {
        return !Double.isNaN(v) && (double) (float) v == v ? Double.parseDouble(Float.toString((float) v)) : v;
    }

    private static void floats(ObjectNode o, String name, float[] v) {
        if (v == null) {
            o.putNull(name);
            return;
        }
        ArrayNode a = o.putArray(name);
        for (float f : v) a.add(Double.parseDouble(Float.toString(f))); // 0.485f as 0.485, not 0.48500001430511475
    }
}
