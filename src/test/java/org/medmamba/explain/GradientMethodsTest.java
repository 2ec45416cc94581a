package org.medmamba.explain;

import org.junit.jupiter.api.Test;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;

import static org.junit.jupiter.api.Assertions.*;

/** SmoothGrad and integrated gradients against properties that pin them down. */
class GradientMethodsTest {
    @Test
    void smoothGradWithoutNoiseIsSaliencyAndIsSeeded() throws Exception {
        Predictor p = ExplanationsTest.tiny();
        Image img = ExplanationsTest.brain(p);
        Explanation sal = Explanations.saliency(p, img, 1);
        Explanation zero = Explanations.smoothGrad(p, img, 1, 3, 0, 0);
        for (int i = 0; i < sal.map().length; i++)
            assertEquals(sal.map()[i], zero.map()[i], 1e-6f * Math.max(1, Math.abs(sal.map()[i])), "pixel " + i);
        assertEquals(sal.probability(), zero.probability(), 1e-6);
        Explanation a = Explanations.smoothGrad(p, img, 1, 4, 0.15, 7), b = Explanations.smoothGrad(p, img, 1, 4, 0.15, 7);
        assertArrayEquals(a.map(), b.map(), "same seed, same map");
        double diff = 0;
        for (int i = 0; i < a.map().length; i++) diff += Math.abs(a.map()[i] - sal.map()[i]);
        assertTrue(diff > 0, "noise changes the map");
        for (float v : a.map()) assertTrue(v >= 0);
    }

    /**
     * Smilkov et al.'s definition: the mean of the signed gradients over the noisy copies, made
     * absolute only after averaging (as the saliency map is). The mean of |gradient| (what this
     * method computed until 2026-12-04) is larger wherever the copies' signs disagree; the test
     * rebuilds the copies and tells the two apart.
     */
    @Test
    void smoothGradAveragesSignedGradientsBeforeTakingTheMagnitude() throws Exception {
        Predictor p = ExplanationsTest.tiny();
        Image img = ExplanationsTest.brain(p);
        int samples = 4, c = img.channels(), h = img.height(), w = img.width(), n = h * w, len = c * n;
        double sigma = 0.15;
        long seed = 11;
        Explanation sg = Explanations.smoothGrad(p, img, 1, samples, sigma, seed);
        float[] x = Explanations.normalised(p, img);
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float v : x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] batch = new float[samples * len];
        for (int k = 0; k < samples; k++)
            for (int i = 0; i < len; i++) batch[k * len + i] = (float) (x[i] + sigma * (hi - lo) * r.nextGaussian());
        float[] g = Explanations.gradients(p, batch, samples, c, h, w, 1, null);
        int smaller = 0;
        for (int i = 0; i < n; i++) {
            double signed = 0, magnitude = 0;
            for (int ch = 0; ch < c; ch++) {
                double mean = 0, meanAbs = 0;
                for (int k = 0; k < samples; k++) {
                    mean += g[k * len + ch * n + i] / (double) samples;
                    meanAbs += Math.abs(g[k * len + ch * n + i]) / (double) samples;
                }
                signed = Math.max(signed, Math.abs(mean));
                magnitude = Math.max(magnitude, meanAbs);
            }
            assertEquals(signed, sg.map()[i], 1e-6 * Math.max(1e-3, signed), "pixel " + i);
            if (magnitude > signed * 1.01) smaller++;
        }
        assertTrue(smaller > n / 20, "the copies' signs disagree somewhere, so the two definitions differ: " + smaller + " pixels");
    }

    /** Completeness: the attributions add up to p(x) − p(baseline), up to the midpoint rule's error. */
    @Test
    void integratedGradientsAddUpToTheChangeInProbability() throws Exception {
        Predictor p = ExplanationsTest.tiny();
        Image img = ExplanationsTest.brain(p);
        for (int c = 0; c < 3; c++) {
            Explanation ig = Explanations.integratedGradients(p, img, c, 64);
            double sum = 0;
            for (float v : ig.map()) sum += v;
            float[] zero = new float[img.data().length];
            double delta = ig.probability() - Explanations.probability(p, zero, img.channels(), img.height(), img.width(), c);
            // measured: Δp −0.00366 / 0.00250 / 0.00115 against sums −0.00362 / 0.00240 / 0.00122
            assertTrue(Math.abs(delta) > 1e-3, "a change big enough to test: " + delta);
            assertEquals(delta, sum, 0.05 * Math.abs(delta) + 5e-5, "class " + c);
            assertEquals(img.height() * img.width(), ig.map().length);
        }
    }

    /**
     * Two cells × two channels, by hand. Channel 0: A = (1, 3), g = (0.5, −1); channel 1: A = (2, 2), g = (1, 1).
     * Grad-CAM: w = mean g = (−0.25, 1). Grad-CAM++: ΣA = (4, 4); α = g²/(2g² + ΣA·g³):
     * ch0 cell0 0.25/(0.5 + 0.5) = 0.25 (ReLU(g) 0.5 → 0.125), cell1 ReLU(−1) = 0 → w0 = 0.125;
     * ch1 each cell 1/(2 + 4) = 1/6, ReLU(g) 1 → w1 = 1/3.
     */
    @Test
    void camWeightsByHand() {
        float[] a = {1, 2, 3, 2}, g = {0.5f, 1, -1, 1};
        double[] cam = Explanations.camWeights(a, g, 2, 2, false), pp = Explanations.camWeights(a, g, 2, 2, true);
        assertArrayEquals(new double[]{-0.25, 1}, cam, 1e-12);
        assertArrayEquals(new double[]{0.125, 1.0 / 3}, pp, 1e-12);
    }

    @Test
    void gradCamPlusPlusMapsLieInTheUnitInterval() throws Exception {
        Predictor p = ExplanationsTest.tiny();
        Image img = ExplanationsTest.brain(p);
        for (int stage = 0; stage < 4; stage++) {
            Explanation e = Explanations.explain(p, img, "gradcam++", 2, stage);
            assertEquals("gradcam++", e.method());
            float max = 0;
            for (float v : e.map()) {
                assertTrue(v >= 0 && v <= 1, "stage " + stage + ": " + v);
                max = Math.max(max, v);
            }
            assertTrue(max == 1f || max == 0f, "scaled to its maximum: " + max);
        }
    }
}
