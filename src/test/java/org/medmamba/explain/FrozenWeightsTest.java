package org.medmamba.explain;

import org.junit.jupiter.api.Test;
import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Losses;
import org.medmamba.autograd.Var;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;
import org.medmamba.model.MedMamba;
import org.medmamba.tensor.Tensor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Weights out of the backward pass: the input's gradient is unchanged, the weights get none and are restored; TOP picks predict's class. */
class FrozenWeightsTest {
    @Test
    void inputGradientIsTheSameWithTheWeightsFrozenAndTheyAreRestored() throws Exception {
        Predictor p = ExplanationsTest.tiny();
        MedMamba m = p.model();
        float[] x = Explanations.normalised(p, ExplanationsTest.brain(p));
        float[] free = inputGrad(m, x, false), frozen = inputGrad(m, x, true);
        assertArrayEquals(free, frozen, 0f, "the same numbers: only the weights' gradients are skipped");
        double norm = 0;
        for (float v : free) norm += v * v;
        assertTrue(norm > 0, "a gradient reached the input");
        for (Var w : m.parameters()) assertTrue(w.requiresGrad(), "restored");
        for (Var w : m.parameters()) w.zeroGrad();
        inputGrad(m, x, true);
        for (Var w : m.parameters()) assertNull(w.grad(), "no gradient accumulated into a frozen weight");
    }

    private static float[] inputGrad(MedMamba m, float[] x, boolean freeze) {
        Var in = Var.param(Tensor.of(x.clone(), 1, 1, 32, 32));
        try (var g = GradMode.enableGrad(); var f = freeze ? FrozenWeights.of(m) : null) {
            Var probs = Losses.softmax(m.forward(in));
            Tensor seed = Tensor.zeros(probs.shape());
            seed.storage()[1] = 1f;
            probs.backward(seed);
        }
        for (Var w : m.parameters()) w.zeroGrad();
        return in.grad().data().clone();
    }

    @Test
    void topIsThePredictedClassAndGivesTheSameMapAsNamingIt() throws Exception {
        Predictor p = ExplanationsTest.tiny();
        Image img = ExplanationsTest.brain(p);
        int k = Predictor.argmax(p.predict(List.of(img))[0]);
        for (String method : List.of("saliency", "gradcam", "gradcam++")) {
            assertTrue(Explanations.choosesTop(method));
            Explanation top = Explanations.explain(p, img, method, Explanations.TOP, 2), named = Explanations.explain(p, img, method, k, 2);
            assertEquals(k, top.classIndex(), method);
            assertArrayEquals(named.map(), top.map(), 0f, method);
            assertEquals(named.probability(), top.probability(), 0f, method);
        }
        assertFalse(Explanations.choosesTop("occlusion"));
        assertThrows(IllegalArgumentException.class, () -> Explanations.explain(p, img, "occlusion", Explanations.TOP, 3));
    }
}
