package org.medmamba.explain;

import org.junit.jupiter.api.Test;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FaithfulnessTest {
    @Test
    void trapezoidByHand() {
        assertEquals(0.5, Faithfulness.auc(new double[]{1, 0.5, 0}), 1e-12);   // ((1 + .5)/2 + (.5 + 0)/2) / 2
        assertEquals(0.75, Faithfulness.auc(new double[]{1, 1, 0}), 1e-12);
    }

    /** The curves' end points are the full image and the empty (mean) image, whatever the map. */
    @Test
    void oneStepCurvesAreTheirEndPoints() throws Exception {
        Predictor p = ExplanationsTest.tiny();
        Image img = ExplanationsTest.brain(p);
        Explanation e = Explanations.gradCam(p, img, 1, 3);
        float full = p.predict(List.of(img))[0][1];
        float[] meanImage = new float[img.data().length];
        java.util.Arrays.fill(meanImage, p.bundle().mean()[0]);
        float empty = p.predict(List.of(new Image(1, img.height(), img.width(), meanImage)))[0][1];
        Faithfulness.Scores s = Faithfulness.of(p, img, e, 1);
        assertEquals((full + empty) / 2.0, s.deletion(), 1e-6);
        assertEquals((empty + full) / 2.0, s.insertion(), 1e-6);
        Faithfulness.Scores r = Faithfulness.of(p, img, Faithfulness.randomMap(e, 1), 8);
        assertTrue(r.deletion() >= 0 && r.deletion() <= 1 && r.insertion() >= 0 && r.insertion() <= 1, r.toString());
    }
}
