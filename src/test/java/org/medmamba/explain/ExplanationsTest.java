package org.medmamba.explain;

import org.junit.jupiter.api.Test;
import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Var;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.data.ImageFiles;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.tensor.Tensor;
import org.medmamba.testing.Shared;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The maps' numbers: saliency against finite differences, Grad-CAM's range, occlusion's drop. */
class ExplanationsTest {
    static final MedMambaConfig TINY = new MedMambaConfig(new int[]{1, 1, 1, 1}, new int[]{8, 16, 32, 64}, 4, 3, 1, 0f);

    static Predictor tiny() {
        ModelBundle b = new ModelBundle(TINY, List.of("a", "b", "c"), 32, 32, new float[]{0.5f}, new float[]{0.25f},
                Map.of(), new MedMamba(TINY, 11).stateDict());
        return new Predictor(b);
    }

    static Image brain(Predictor p) throws Exception {
        return p.prepare(ImageFiles.read(Shared.FIXTURES.resolve("images/itk/BrainT1Slice.png")));
    }

    @Test
    void saliencyEqualsCentralDifferencesOfTheProbability() throws Exception {
        Predictor p = tiny();
        Image img = brain(p);
        int c = 1;
        Explanation s = Explanations.saliency(p, img, c);
        assertEquals(32, s.height());
        assertEquals(32, s.width());
        assertEquals(p.predict(List.of(img))[0][c], s.probability(), 1e-5f);
        // the pixels with the largest gradients (small ones drown in float32 rounding), plus a fixed one
        Integer[] order = new Integer[s.map().length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(s.map()[b], s.map()[a]));
        float std = p.bundle().std()[0];
        // in normalised units; the curvature is strong (fd at 0.05 is 4 % off, at 0.005 it agrees to 0.1 %),
        // and float32 rounding of p adds about 1e-5 absolute at this step
        double eps = 0.005;
        for (int i : new int[]{order[0], order[1], order[2], order[5], 16 * 32 + 16}) {
            float[] plus = img.data().clone(), minus = img.data().clone();
            plus[i] += (float) (eps * std);
            minus[i] -= (float) (eps * std);
            float[][] pr = p.predict(List.of(new Image(1, 32, 32, plus), new Image(1, 32, 32, minus)));
            double fd = Math.abs((pr[0][c] - pr[1][c]) / ((plus[i] - minus[i]) / (double) std));   // the step actually taken
            assertEquals(fd, s.map()[i], 0.02 * fd + 2e-5, "pixel " + i + ": |fd| " + fd + " vs saliency " + s.map()[i]);
        }
        assertTrue(s.map()[order[0]] > 1e-3, "the top gradient is far above the tolerance: " + s.map()[order[0]]);
    }

    @Test
    void forwardSplitAtAnyStageIsTheForwardPass() {
        MedMamba m = tiny().model();
        float[] x = new float[32 * 32];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37);
        try (var g = GradMode.noGrad()) {
            float[] full = m.forward(Var.constant(Tensor.of(x, 1, 1, 32, 32))).value().data();
            for (int s = 0; s < 4; s++) {
                float[] split = m.forwardFrom(m.forwardTo(Var.constant(Tensor.of(x, 1, 1, 32, 32)), s), s).value().data();
                assertArrayEquals(full, split, 1e-5f, "stage " + s);
            }
        }
    }

    @Test
    void gradCamIsNonNegativeInUnitRangeAtInputSizeOnEveryStage() throws Exception {
        Predictor p = tiny();
        Image img = brain(p);
        for (int stage = 0; stage < 4; stage++) {
            Explanation e = Explanations.gradCam(p, img, 0, stage);
            assertEquals(32 * 32, e.map().length);
            float max = 0;
            for (float v : e.map()) {
                assertTrue(v >= 0f && v <= 1f, "stage " + stage + ": " + v);
                max = Math.max(max, v);
            }
            assertTrue(max == 0f || Math.abs(max - 1f) < 1e-6, "normalised to a maximum of 1, got " + max);
        }
        // explanations leave no gradients on the weights
        for (Var v : p.model().parameters()) assertNull(v.grad());
    }

    @Test
    void occlusionWithOneWindowOverTheWholeImageIsTheDropToTheMeanImage() throws Exception {
        Predictor p = tiny();
        Image img = brain(p);
        int c = 2;
        Explanation e = Explanations.occlusion(p, img, c, 1000, 1000);
        float[] mean = new float[32 * 32];
        Arrays.fill(mean, p.bundle().mean()[0]);
        float[][] pr = p.predict(List.of(img, new Image(1, 32, 32, mean)));
        float drop = pr[0][c] - pr[1][c];
        assertNotEquals(0f, drop);
        for (float v : e.map()) assertEquals(drop, v, 1e-6f);
        assertEquals(pr[0][c], e.probability(), 1e-6f);
    }

    @Test
    void occlusionWindowsCoverEveryPixelAndStopAtTheEdge() {
        assertEquals(List.of(0, 4, 8), Explanations.starts(16, 8, 4));
        assertEquals(List.of(0, 5, 10), Explanations.starts(16, 8, 5));   // 10 + 8 reaches 16, clipped
        assertEquals(List.of(0), Explanations.starts(16, 100, 3));
    }
}
