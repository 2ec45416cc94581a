package org.medmamba.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Hand-computed: class "a" of the 10-sample fixture in {@code org.medmamba.eval.report.ReportSectionsTest}. */
class PrAndOperatingPointTest {
    // class "a" of the fixture: positives are samples 0-3
    static final boolean[] POS_A = {true, true, true, true, false, false, false, false, false, false};
    static final float[] SCORE_A = {0.7f, 0.6f, 0.4f, 0.5f, 0.2f, 0.3f, 0.55f, 0.3f, 0.45f, 0.1f};

    @Test
    void precisionRecallStepsAndAveragePrecision() {
        PrCurve pr = PrCurve.of(POS_A, SCORE_A);
        assertArrayEquals(new double[]{0.7f, 0.6f, 0.55f, 0.5f, 0.45f, 0.4f, 0.3f, 0.2f, 0.1f}, pr.threshold(), 0);
        assertArrayEquals(new double[]{0, .25, .5, .5, .75, .75, 1, 1, 1, 1}, pr.recall(), 1e-12);
        // the tie at 0.3 (two negatives) is one point: 4 of 8 called are right
        assertArrayEquals(new double[]{1, 1, 1, 2 / 3.0, .75, .6, 4 / 6.0, .5, 4 / 9.0, .4}, pr.precision(), 1e-12);
        assertEquals(41 / 48.0, pr.ap(), 1e-12); // .25·1 + .25·1 + .25·.75 + .25·(2/3)
        assertTrue(Double.isNaN(PrCurve.of(new boolean[3], new float[]{.1f, .2f, .3f}).ap()), "no positive: AP undefined");
        // ties between a positive and a negative form one step: AP = 1·0.5 (the tied pair)
        assertEquals(0.5, PrCurve.of(new boolean[]{true, false}, new float[]{.5f, .5f}).ap(), 1e-12);
    }

    @Test
    void operatingPointsByRule() {
        OperatingPoint half = OperatingPoint.at("p ≥ 0.5", POS_A, SCORE_A, 0.5);
        assertEquals(new OperatingPoint("p ≥ 0.5", 0.5, 3, 1, 5, 1), half);
        assertEquals(0.75, half.sensitivity(), 1e-12);
        assertEquals(5 / 6.0, half.specificity(), 1e-12);
        assertEquals(0.75, half.ppv(), 1e-12);
        assertEquals(5 / 6.0, half.npv(), 1e-12);

        // highest threshold that finds all 4 positives (≥ 0.95 of 4 needs 4): 0.4
        OperatingPoint sens = OperatingPoint.forSensitivity("s", POS_A, SCORE_A, 0.95);
        assertEquals(0.4f, sens.threshold(), 0);
        assertEquals(new OperatingPoint("s", 0.4f, 4, 2, 4, 0), sens);
        assertEquals(4 / 6.0, sens.ppv(), 1e-12);
        assertEquals(1.0, sens.npv(), 1e-12);
        // 0.75 sensitivity is reached at 0.5 already
        assertEquals(0.5f, OperatingPoint.forSensitivity("s", POS_A, SCORE_A, 0.75).threshold(), 0);

        // lowest threshold keeping specificity ≥ 0.95 (no false positive among 6): 0.6
        assertEquals(new OperatingPoint("t", 0.6f, 2, 0, 6, 2), OperatingPoint.forSpecificity("t", POS_A, SCORE_A, 0.95));
        // specificity ≥ 0.8 allows one false positive of 6 (5/6): down to 0.5
        assertEquals(0.5f, OperatingPoint.forSpecificity("t", POS_A, SCORE_A, 0.8).threshold(), 0);

        // the top score a negative: no threshold keeps every negative out but one above all scores
        OperatingPoint none = OperatingPoint.forSpecificity("t", new boolean[]{false, true}, new float[]{.9f, .1f}, 0.95);
        assertEquals(0, none.tp() + none.fp());
        assertTrue(none.threshold() > 0.9f);
        assertTrue(Double.isNaN(none.ppv()), "nothing called: PPV undefined, not 0");
        assertNull(OperatingPoint.forSensitivity("s", new boolean[2], new float[2], 0.95));
        assertNull(OperatingPoint.forSpecificity("t", new boolean[]{true}, new float[1], 0.95));
    }
}
