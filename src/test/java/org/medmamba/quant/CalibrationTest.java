package org.medmamba.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMamba;
import org.medmamba.tensor.Tensor;

/**
 * Calibration's smoothing: the scaled float state computes what the original does, the error it
 * minimises is the layer's output error, it never raises that error, and on a model with outlier
 * input channels it lowers it well.
 */
class CalibrationTest {
    @TempDir
    Path dir;

    static List<Tensor> batches(Random r, int n) {
        List<Tensor> out = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            float[] img = new float[2 * 64 * 64];
            for (int i = 0; i < img.length; i++) img[i] = (float) r.nextGaussian();
            out.add(Tensor.of(img, 2, 1, 64, 64));
        }
        return out;
    }

    /** A few input channels of every paired layer 20× larger (through the norm's weight), as outliers in trained models are. */
    static MedMamba withOutliers(Random r) {
        MedMamba m = QuantizationTest.small();
        Map<String, Object> sd = m.stateDict();
        for (Calibration.Pair p : Calibration.pairs(sd)) {
            float[] g = ((Tensor) sd.get(p.norm() + ".weight")).data(), b = ((Tensor) sd.get(p.norm() + ".bias")).data();
            for (int k = 0; k < 3; k++) g[r.nextInt(g.length)] *= 20;
            for (int j = 0; j < b.length; j++) b[j] = (float) (0.3 * r.nextGaussian());   // trained norms have biases
        }
        m.train(false);
        return m;
    }

    static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }

    @Test
    void findsThePairsOfMedMamba() {
        List<Calibration.Pair> pairs = Calibration.pairs(QuantizationTest.small().stateDict());
        // depths 1,1,2,1: 5 blocks × (in_proj, out_proj) + 3 patch-merging reductions
        assertEquals(13, pairs.size(), pairs.toString());
        assertTrue(pairs.contains(new Calibration.Pair("layers.2.blocks.1.ln_1", "layers.2.blocks.1.self_attention.in_proj")), pairs.toString());
        assertTrue(pairs.contains(new Calibration.Pair("layers.0.blocks.0.self_attention.out_norm", "layers.0.blocks.0.self_attention.out_proj")));
        assertTrue(pairs.contains(new Calibration.Pair("layers.0.downsample.norm", "layers.0.downsample.reduction")));
    }

    @Test
    void theSmoothedFloatModelComputesTheSameAndTheErrorNeverRises() {
        Random r = new Random(7);
        MedMamba m = withOutliers(r);
        List<Tensor> cal = batches(r, 3);
        Tensor x = batches(r, 1).getFirst();
        float[] before = QuantizationTest.logits(m, x);
        Calibration.Result res = Calibration.run(m, cal, QuantScheme.of(4, 32, null), null);
        assertEquals(6, res.images());
        long scaled = res.layers().stream().filter(l -> l.alpha() > 0).count();
        assertTrue(scaled > 0, "outlier channels make smoothing pay somewhere");
        for (Calibration.Layer l : res.layers()) {
            assertTrue(l.errorChosen() <= l.errorPlain(), l.toString());
            assertTrue(l.rows() > 0, l.toString());
        }
        MedMamba smoothed = QuantizationTest.small();
        smoothed.loadStateDict(res.stateDict());
        smoothed.train(false);
        float[] after = QuantizationTest.logits(smoothed, x);
        double scale = 0;
        for (float v : before) scale = Math.max(scale, Math.abs(v));
        assertTrue(maxDiff(before, after) < 1e-4 * (1 + scale), "the folded scales change the float model by " + maxDiff(before, after));
        assertEquals(before.length, after.length);
    }

    /** Random scales folded into every pair (norm weight and bias, linear columns) leave the float model's logits as they were. */
    @Test
    void foldingAnyScalesIntoEveryPairIsExact() {
        Random r = new Random(21);
        MedMamba m = withOutliers(r);
        QuantizationTest.randomiseBatchNorms(m, r);
        Tensor x = batches(r, 1).getFirst();
        float[] before = QuantizationTest.logits(m, x);
        Map<String, Object> sd = new java.util.LinkedHashMap<>(m.stateDict());
        List<Calibration.Pair> pairs = Calibration.pairs(sd);
        for (Calibration.Pair p : pairs) {
            float[] s = new float[((Tensor) sd.get(p.linear() + ".weight")).dim(1)];
            for (int j = 0; j < s.length; j++) s[j] = (float) Math.exp(r.nextGaussian());
            Calibration.fold(sd, p, s);
        }
        MedMamba folded = QuantizationTest.small();
        folded.loadStateDict(sd);
        folded.train(false);
        float[] after = QuantizationTest.logits(folded, x);
        double scale = 0;
        for (float v : before) scale = Math.max(scale, Math.abs(v));
        assertTrue(maxDiff(before, after) < 1e-4 * (1 + scale), "folding changed the logits by " + maxDiff(before, after));
        assertTrue(maxDiff(QuantizationTest.logits(m, x), before) == 0, "the original model is left as it was");
    }

    /** The Gram-matrix error equals ‖X·(W_q/s − W)ᵀ‖² / rows computed from the rows themselves. */
    @Test
    void theErrorIsTheLayersOutputError() {
        Random r = new Random(3);
        int rows = 7, cols = 70, n = 40;
        float[] w = new float[rows * cols], x = new float[n * cols], s = new float[cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * (1 + i % cols % 5));
        for (int j = 0; j < cols; j++) s[j] = (float) (0.5 + r.nextDouble());
        Calibration.Gram g = new Calibration.Gram(cols);
        g.add(Tensor.of(x.clone(), n, cols));
        QuantScheme q4 = QuantScheme.of(4, 32, null);
        double viaGram = Calibration.error(w, rows, cols, s, g, q4);
        var q = Quantizer.quantize(Calibration.scaleColumns(w, rows, cols, s), rows, cols, 4, 32);
        double direct = 0;
        for (int k = 0; k < n; k++)
            for (int o = 0; o < rows; o++) {
                double e = 0;
                for (int j = 0; j < cols; j++) e += x[k * cols + j] * ((double) q.get(o, j) / s[j] - w[o * cols + j]);
                direct += e * e;
            }
        direct /= n;
        assertEquals(direct, viaGram, 1e-9 * direct);
    }

    /**
     * What smoothing is for: with outlier input channels the paired layers' output error at 4 bits
     * drops well below the unscaled one's, and the bundle written from the smoothed state holds
     * those scaled weights. (Whether that carries through to the logits is not guaranteed — it
     * did not on the models measured in docs/quantization.md — so it is not asserted.)
     */
    @Test
    void onOutliersTheLayersErrorDrops() throws IOException {
        Random r = new Random(11);
        MedMamba m = withOutliers(r);
        QuantScheme s = QuantScheme.of(4, 64, null);
        Calibration.Result res = Calibration.run(m, batches(r, 4), s, null);
        assertTrue(res.errorRatio() < 0.8, "summed layer error only x" + res.errorRatio());
        Path smooth = dir.resolve("smooth.mmb");
        ModelBundle b = QuantizationTest.bundle(m);
        new ModelBundle(b.config(), b.labels(), b.imageHeight(), b.imageWidth(), b.mean(), b.std(), b.provenance(), res.stateDict())
                .withScheme(s, Map.of()).save(smooth);
        Calibration.Layer scaled = res.layers().stream().filter(l -> l.alpha() > 0).findFirst().orElseThrow();
        Tensor stored = (Tensor) ModelBundle.load(smooth).stateDict().get(scaled.linear() + ".weight");
        Tensor want = (Tensor) res.stateDict().get(scaled.linear() + ".weight");
        double diff = maxDiff(stored.contiguous().data(), want.contiguous().data()), max = 0;
        for (float v : want.contiguous().data()) max = Math.max(max, Math.abs(v));
        assertTrue(diff > 0 && diff < max / 7, scaled.linear() + ": the bundle holds the scaled weights, quantised (" + diff + ")");
    }

    @Test
    void sixteenBitsNeedsNoCalibration() {
        MedMamba m = QuantizationTest.small();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Calibration.run(m, batches(new Random(1), 1), QuantScheme.of(16, 0, null), null));
        assertTrue(e.getMessage().contains("8- and 4-bit"), e.getMessage());
    }
}
