package org.medmamba.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Metrics against scikit-learn on the same predictions (fixtures: src/test/resources/metrics). */
class MetricsTest {
    static Stream<JsonNode> cases() throws IOException {
        try (InputStream in = MetricsTest.class.getResourceAsStream("/metrics/metrics_cases.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<JsonNode> out = new ArrayList<>();
            root.get("cases").forEach(out::add);
            return out.stream();
        }
    }

    static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asInt();
        return r;
    }

    static float[][] probs(JsonNode a) {
        float[][] p = new float[a.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new float[a.get(i).size()];
            for (int j = 0; j < p[i].length; j++) p[i][j] = (float) a.get(i).get(j).asDouble();
        }
        return p;
    }

    static List<String> labels(int k) {
        return IntStream.range(0, k).mapToObj(Integer::toString).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalsScikitLearn(JsonNode c) {
        int k = c.get("classes").asInt();
        int[] truth = ints(c.get("truth"));
        Metrics m = Metrics.of(labels(k), truth, probs(c.get("probs")));
        String name = c.get("name").asText();
        assertEquals(c.get("accuracy").asDouble(), m.accuracy(), 1e-9, name);
        assertEquals(c.get("balanced_accuracy").asDouble(), m.balancedAccuracy(), 1e-9, name);
        assertEquals(c.get("kappa").asDouble(), m.kappa(), 1e-9, name);
        assertEquals(c.get("macro_precision").asDouble(), m.macroPrecision(), 1e-9, name);
        assertEquals(c.get("macro_recall").asDouble(), m.macroSensitivity(), 1e-9, name);
        assertEquals(c.get("macro_f1").asDouble(), m.macroF1(), 1e-9, name);
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) assertEquals(c.get("confusion").get(t).get(p).asLong(), m.confusion().counts()[t][p]);
            ClassMetrics cm = m.perClass().get(t);
            assertEquals(c.get("precision").get(t).asDouble(), cm.precision(), 1e-9);
            assertEquals(c.get("recall").get(t).asDouble(), cm.sensitivity(), 1e-9);
            assertEquals(c.get("f1").get(t).asDouble(), cm.f1(), 1e-9);
            assertEquals(c.get("specificity").get(t).asDouble(), cm.specificity(), 1e-9);
            assertEquals(c.get("support").get(t).asLong(), cm.support());
            JsonNode auc = c.get("per_class_auc").get(t);
            if (auc.isNull()) assertTrue(Double.isNaN(cm.auc()));
            else assertEquals(auc.asDouble(), cm.auc(), 1e-6, name + " class " + t);
        }
        assertEquals(c.get("macro_auc_defined").asDouble(), m.macroAuc(), 1e-6);
        if (c.has("sklearn_macro_auc")) assertEquals(c.get("sklearn_macro_auc").asDouble(), m.macroAuc(), 1e-6, name);
        boolean[] pos = new boolean[truth.length];
        float[] score = new float[truth.length];
        float[][] p = probs(c.get("probs"));
        for (int i = 0; i < truth.length; i++) {
            pos[i] = truth[i] == 0;
            score[i] = p[i][0];
        }
        RocCurve roc = RocCurve.of(pos, score);
        JsonNode fpr = c.get("roc_class0_fpr"), tpr = c.get("roc_class0_tpr");
        assertEquals(fpr.size(), roc.fpr().length, "one ROC point per distinct score, plus (0, 0)");
        for (int i = 0; i < fpr.size(); i++) {
            assertEquals(fpr.get(i).asDouble(), roc.fpr()[i], 1e-12);
            assertEquals(tpr.get(i).asDouble(), roc.tpr()[i], 1e-12);
        }
    }

    @Test
    void bootstrapIsSeededAndBracketsTheEstimate() throws IOException {
        JsonNode c = cases().findFirst().orElseThrow();
        int[] truth = ints(c.get("truth"));
        float[][] p = probs(c.get("probs"));
        List<String> labels = labels(3);
        java.util.function.ToDoubleFunction<int[]> acc = idx -> {
            int[] t = new int[idx.length];
            float[][] q = new float[idx.length][];
            for (int i = 0; i < idx.length; i++) {
                t[i] = truth[idx[i]];
                q[i] = p[idx[i]];
            }
            return Metrics.of(labels, t, q).accuracy();
        };
        Bootstrap.Interval a = Bootstrap.of(truth, p, 1000, 7, 0.95, acc);
        Bootstrap.Interval b = Bootstrap.of(truth, p, 1000, 7, 0.95, acc);
        assertEquals(a, b);
        double est = c.get("accuracy").asDouble();
        assertTrue(a.low() < est && est < a.high(), a + " around " + est);
        // binomial standard error sqrt(p(1-p)/n) ≈ 0.062 at n = 60: the 95 % interval is about ±2 SE wide
        assertEquals(4 * Math.sqrt(est * (1 - est) / truth.length), a.high() - a.low(), 0.06);
        assertEquals(0, a.skipped());
    }

    @Test
    void percentileMatchesNumpyLinear() {
        double[] v = {1, 2, 3, 4, 10};
        assertEquals(1.1, Bootstrap.percentile(v, 0.025), 1e-12); // numpy.percentile(v, 2.5)
        assertEquals(9.4, Bootstrap.percentile(v, 0.975), 1e-12); // numpy.percentile(v, 97.5)
    }

    @Test
    void calibrationBinsAndEce() {
        int[] truth = {0, 0, 1, 1};
        float[][] p = {{0.95f, 0.05f}, {0.65f, 0.35f}, {0.62f, 0.38f}, {0.1f, 0.9f}};
        Calibration cal = Calibration.of(truth, p, 10);
        assertEquals(2, cal.count()[6]);
        assertEquals(0.5, cal.accuracy()[6], 1e-12);
        assertEquals(0.635, cal.confidence()[6], 1e-6);
        // ECE = 2/4·|0.5 − 0.635| + 1/4·|1 − 0.95| + 1/4·|1 − 0.9|
        assertEquals(0.5 * 0.135 + 0.25 * 0.05 + 0.25 * 0.1, cal.ece(), 1e-6);
    }
}
