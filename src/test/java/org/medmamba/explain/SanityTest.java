package org.medmamba.explain;

import org.junit.jupiter.api.Test;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.data.image.Image;
import org.medmamba.eval.Predictor;
import org.medmamba.model.MedMamba;
import org.medmamba.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Adebayo et al. (2018), model randomisation: a map that does not change when the weights it
 * explains are replaced by random ones explains nothing about the model. Cascading from the head
 * down, once the last stage and the head are random, every method's map must rank the pixels
 * differently (Spearman ρ with the original map below 0.5).
 */
class SanityTest {
    @Test
    void mapsChangeWhenTheHeadAndTheLastStageAreRandomised() throws Exception {
        MedMamba m = new MedMamba(ExplanationsTest.TINY, 11);
        Map<String, Object> sd = m.stateDict();
        Predictor trained = predictor(sd);
        Map<String, Object> random = new LinkedHashMap<>(sd);
        SplittableRandom r = new SplittableRandom(5);
        for (var e : sd.entrySet()) {
            if (!(e.getValue() instanceof Tensor t) || !(e.getKey().startsWith("head.") || e.getKey().startsWith("layers.3."))) continue;
            if (e.getKey().contains("running_")) continue;   // BatchNorm statistics are not weights
            float[] d = t.data().clone();
            double sd2 = 0;
            for (float v : d) sd2 += v * v;
            double s = Math.max(1e-2, Math.sqrt(sd2 / d.length));
            for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * s);
            random.put(e.getKey(), Tensor.of(d, t.shape()));
        }
        Predictor randomised = predictor(random);
        Image img = trained.prepare(org.medmamba.data.ImageFiles.read(org.medmamba.testing.Shared.FIXTURES.resolve("images/itk/BrainT1Slice.png")));
        int k = Predictor.argmax(trained.predict(List.of(img))[0]);
        for (String method : List.of("saliency", "ig", "gradcam", "occlusion")) {
            int stage = 3;   // at 128×128 the last stage is a 4×4 grid
            float[] a = Explanations.explain(trained, img, method, k, stage).map(), b = Explanations.explain(randomised, img, method, k, stage).map();
            // a constant map would make ρ 0 by construction: the check needs maps that rank pixels
            assertEquals(1.0, spearman(a, a), 1e-9, method + " gives a constant map; the check would prove nothing");
            double rho = spearman(a, b);
            assertTrue(rho < 0.5, method + ": rank correlation " + rho + " with the randomised model's map");
        }
    }

    private static Predictor predictor(Map<String, Object> stateDict) {
        return new Predictor(new ModelBundle(ExplanationsTest.TINY, List.of("a", "b", "c"), 128, 128, new float[]{0.5f}, new float[]{0.25f},
                Map.of(), stateDict));
    }

    /** Spearman's ρ: Pearson correlation of the ranks (ties get their mean rank). */
    static double spearman(float[] a, float[] b) {
        double[] ra = ranks(a), rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0), mb = Arrays.stream(rb).average().orElse(0), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < ra.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    private static double[] ranks(float[] v) {
        Integer[] o = new Integer[v.length];
        for (int i = 0; i < o.length; i++) o[i] = i;
        Arrays.sort(o, (x, y) -> Float.compare(v[x], v[y]));
        double[] r = new double[v.length];
        for (int i = 0; i < o.length; ) {
            int j = i;
            while (j + 1 < o.length && v[o[j + 1]] == v[o[i]]) j++;
            for (int k = i; k <= j; k++) r[o[k]] = (i + j) / 2.0;
            i = j + 1;
        }
        return r;
    }
}
