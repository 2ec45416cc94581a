package org.medmamba.eval.report;

import org.junit.jupiter.api.Test;
import org.medmamba.eval.Metrics;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class EvaluationTest {
    @Test
    void resampledAucMatchesMetricsOnExplicitResamples() {
        // scores rounded to 0.1 so that ties are common
        Synthetic s = new Synthetic(List.of("a", "b", "c", "d"), 120, 0.8, 5);
        for (float[] p : s.probs) for (int c = 0; c < p.length; c++) p[c] = Math.round(p[c] * 10) / 10f;
        ResampledAuc fast = new ResampledAuc(s.truth, s.probs, 4);
        int[] identity = java.util.stream.IntStream.range(0, 120).toArray();
        assertEquals(Metrics.of(s.labels, s.truth, s.probs).macroAuc(), fast.macroAuc(identity), 1e-12);
        SplittableRandom r = new SplittableRandom(1);
        for (int rep = 0; rep < 20; rep++) {
            int[] idx = new int[120];
            for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(rep < 5 ? 10 : 120); // small draws: classes go missing
            int[] t = new int[idx.length];
            float[][] p = new float[idx.length][];
            for (int i = 0; i < idx.length; i++) {
                t[i] = s.truth[idx[i]];
                p[i] = s.probs[idx[i]];
            }
            double expected;
            try {
                expected = Metrics.of(s.labels, t, p).macroAuc();
            } catch (RuntimeException e) {
                continue;
            }
            assertEquals(expected, fast.macroAuc(idx), 1e-12, "resample " + rep);
        }
    }

    @Test
    void intervalsAreSeededAndBracketTheEstimate() {
        Synthetic s = new Synthetic(List.of("a", "b", "c"), 300, 1.2, 9);
        Evaluation a = Evaluation.compute(s.labels, s.truth, s.probs, s.files, 0);
        Evaluation b = Evaluation.compute(s.labels, s.truth, s.probs, s.files);
        Evaluation c = Evaluation.compute(s.labels, s.truth, s.probs, s.files, 1);
        assertEquals(a.accuracyCi(), b.accuracyCi());
        assertEquals(a.macroAucCi(), b.macroAucCi());
        assertNotEquals(a.macroAucCi(), c.macroAucCi());
        assertEquals(Evaluation.RESAMPLES, a.accuracyCi().resamples());
        assertTrue(a.accuracyCi().low() < a.metrics().accuracy() && a.metrics().accuracy() < a.accuracyCi().high());
        assertTrue(a.macroAucCi().low() < a.metrics().macroAuc() && a.metrics().macroAuc() < a.macroAucCi().high());
        assertEquals(3, a.roc().size());
        assertEquals(a.metrics().perClass().get(1).auc(), a.roc().get(1).auc(), 0);
        assertEquals(Evaluation.BINS, a.calibration().count().length);
    }

    @Test
    void confidentMistakesAreWrongAndSortedByConfidence() {
        Synthetic s = new Synthetic(List.of("a", "b", "c"), 200, 1.0, 2);
        Evaluation ev = Evaluation.compute(s.labels, s.truth, s.probs, null, 0);
        List<Evaluation.Mistake> m = ev.confidentMistakes(20);
        assertEquals(20, m.size());
        for (int i = 0; i < m.size(); i++) {
            Evaluation.Mistake x = m.get(i);
            assertNotEquals(x.truth(), x.predicted());
            assertEquals("#" + x.sample(), x.file());
            assertEquals(s.probs[x.sample()][x.predicted()], x.confidence(), 0);
            if (i > 0) assertTrue(m.get(i - 1).confidence() >= x.confidence());
        }
        long wrong = 0;
        for (int i = 0; i < s.truth.length; i++) if (ev.predicted(i) != s.truth[i]) wrong++;
        assertEquals(wrong, ev.confidentMistakes(1000).size());
    }

    @Test
    void rejectsMismatchedInputs() {
        Synthetic s = new Synthetic(List.of("a", "b"), 10, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> Evaluation.compute(s.labels, s.truth, s.probs, List.of("x"), 0));
        assertThrows(IllegalArgumentException.class, () -> Evaluation.compute(List.of("a", "b", "c"), s.truth, s.probs, null, 0));
    }
}
