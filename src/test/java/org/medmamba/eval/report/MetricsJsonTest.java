package org.medmamba.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.eval.ClassMetrics;
import org.medmamba.eval.Metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MetricsJsonTest {
    private static final Instant WHEN = Instant.parse("2026-11-27T03:00:00Z");

    @Test
    void roundTripsEveryNumber(@TempDir Path dir) throws IOException {
        Synthetic s = new Synthetic(List.of("a", "b", "c"), 250, 1.1, 4);
        Evaluation ev = Evaluation.compute(s.labels, s.truth, s.probs, s.files, 0);
        ModelCard card = new ModelCard("tiny", "cfg", 1234, 224, 224, 3, new float[]{0.485f, 0.456f, 0.406f},
                new float[]{0.229f, 0.224f, 0.225f}, "data/x", "test", 10, 3600.5, Map.of("source", "s"));
        Path f = dir.resolve("metrics.json");
        MetricsJson.write(f, ev, card, WHEN);
        JsonNode j = new ObjectMapper().readTree(f.toFile());
        Metrics m = ev.metrics();
        assertEquals(MetricsJson.FORMAT, j.get("format").asText());
        assertEquals("2026-11-27T03:00:00Z", j.get("generated").asText());
        assertEquals(250, j.get("samples").asInt());
        assertEquals(m.accuracy(), j.get("accuracy").asDouble(), 0);
        assertEquals(m.balancedAccuracy(), j.get("balanced_accuracy").asDouble(), 0);
        assertEquals(m.macroAuc(), j.get("macro_auc").asDouble(), 0);
        assertEquals(m.macroSensitivity(), j.get("macro_sensitivity").asDouble(), 0);
        assertEquals(m.macroSpecificity(), j.get("macro_specificity").asDouble(), 0);
        assertEquals(m.macroPrecision(), j.get("macro_precision").asDouble(), 0);
        assertEquals(m.macroF1(), j.get("macro_f1").asDouble(), 0);
        assertEquals(m.kappa(), j.get("kappa").asDouble(), 0);
        assertEquals(ev.accuracyCi().low(), j.at("/accuracy_ci/low").asDouble(), 0);
        assertEquals(ev.accuracyCi().high(), j.at("/accuracy_ci/high").asDouble(), 0);
        assertEquals(ev.macroAucCi().low(), j.at("/macro_auc_ci/low").asDouble(), 0);
        assertEquals(ev.macroAucCi().high(), j.at("/macro_auc_ci/high").asDouble(), 0);
        assertEquals(1000, j.at("/macro_auc_ci/resamples").asInt());
        assertEquals(0.95, j.at("/macro_auc_ci/level").asDouble(), 0);
        for (int c = 0; c < 3; c++) {
            ClassMetrics cm = m.perClass().get(c);
            JsonNode p = j.get("per_class").get(c);
            assertEquals(cm.label(), p.get("label").asText());
            assertEquals(cm.support(), p.get("support").asLong());
            assertEquals(cm.sensitivity(), p.get("sensitivity").asDouble(), 0);
            assertEquals(cm.specificity(), p.get("specificity").asDouble(), 0);
            assertEquals(cm.precision(), p.get("precision").asDouble(), 0);
            assertEquals(cm.f1(), p.get("f1").asDouble(), 0);
            assertEquals(cm.auc(), p.get("auc").asDouble(), 0);
            assertEquals(s.labels.get(c), j.at("/confusion_matrix/labels/" + c).asText());
            for (int q = 0; q < 3; q++)
                assertEquals(m.confusion().counts()[c][q], j.at("/confusion_matrix/counts/" + c + "/" + q).asLong());
        }
        assertEquals(ev.calibration().ece(), j.at("/calibration/ece").asDouble(), 0);
        JsonNode bins = j.at("/calibration/bins");
        assertEquals(10, bins.size());
        for (int b = 0; b < 10; b++) {
            assertEquals(ev.calibration().count()[b], bins.get(b).get("count").asInt());
            if (ev.calibration().count()[b] == 0) assertTrue(bins.get(b).get("accuracy").isNull());
            else assertEquals(ev.calibration().accuracy()[b], bins.get(b).get("accuracy").asDouble(), 0);
        }
        assertTrue(bins.get(0).get("confidence").isNull()); // 3 classes: top probability >= 1/3
        assertEquals(1234, j.at("/model/parameters").asLong());
        assertEquals(0.485, j.at("/model/mean/0").asDouble(), 0);
        assertEquals(224, j.at("/model/image_size/1").asInt());
        assertEquals("s", j.at("/model/provenance/source").asText());
        assertEquals(3600.5, j.at("/model/training_seconds").asDouble(), 0);
    }

    @Test
    void nanIsNull() {
        // class "c" never occurs: its AUC is undefined; all predictions "a" on one class: kappa undefined
        List<String> labels = List.of("a", "b", "c");
        int[] truth = {0, 0, 0, 0};
        float[][] probs = {{0.8f, 0.1f, 0.1f}, {0.7f, 0.2f, 0.1f}, {0.6f, 0.3f, 0.1f}, {0.9f, 0.05f, 0.05f}};
        Evaluation ev = Evaluation.compute(labels, truth, probs, null, 0);
        JsonNode j = MetricsJson.toJson(ev, ModelCard.unknown(null, null), WHEN);
        assertTrue(Double.isNaN(ev.metrics().kappa()));
        assertTrue(j.get("kappa").isNull());
        assertTrue(j.get("macro_auc").isNull());
        assertTrue(j.at("/per_class/2/auc").isNull());
        assertTrue(j.at("/macro_auc_ci/low").isNull());
        assertEquals(1000, j.at("/macro_auc_ci/skipped").asInt());
        assertTrue(j.at("/model/parameters").isNull());
        assertTrue(j.at("/model/mean").isNull());
        assertFalse(j.toString().contains("NaN"));
    }
}
