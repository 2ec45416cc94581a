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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
        assertEquals(direct, viaGram, 1e-5 * direct);   // the Gram sums float products per block of rows
    }

    /** A batch is run recorded in slices of a few images: the slices are the batch, in order. */
    @Test
    void slicesAreTheBatchInOrder() {
        float[] d = new float[10 * 2 * 3];
        for (int i = 0; i < d.length; i++) d[i] = i;
        List<Tensor> parts = Calibration.slices(Tensor.of(d, 10, 2, 3), 4);
        assertEquals(List.of(4, 4, 2), parts.stream().map(t -> t.dim(0)).toList());
        float[] back = new float[d.length];
        int o = 0;
        for (Tensor t : parts) {
            assertEquals(2, t.dim(1));
            System.arraycopy(t.contiguous().data(), 0, back, o, t.size());
            o += t.size();
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(d, back);
        assertEquals(1, Calibration.slices(Tensor.of(d, 10, 2, 3), 10).size());
    }

    /** The Gram matrix over several GEMM blocks (and two calls) is XᵀX in double to float rounding. */
    @Test
    void theGramIsXtXAcrossBlocks() {
        Random r = new Random(4);
        int cols = 37, n1 = 2 * Calibration.Gram.BLOCK + 77, n2 = 5;
        float[] x1 = new float[n1 * cols], x2 = new float[n2 * cols];
        for (int i = 0; i < x1.length; i++) x1[i] = (float) (r.nextGaussian() + (i % cols == 3 ? 2 : 0));
        for (int i = 0; i < x2.length; i++) x2[i] = (float) r.nextGaussian();
        Calibration.Gram g = new Calibration.Gram(cols);
        g.add(Tensor.of(x1.clone(), n1, cols));
        g.add(Tensor.of(x2.clone(), n2, cols));
        assertEquals(n1 + n2, g.rows);
        double worst = 0;
        for (int i = 0; i < cols; i++)
            for (int j = 0; j < cols; j++) {
                double want = 0;
                for (int k = 0; k < n1; k++) want += (double) x1[k * cols + i] * x1[k * cols + j];
                for (int k = 0; k < n2; k++) want += (double) x2[k * cols + i] * x2[k * cols + j];
                worst = Math.max(worst, Math.abs(g.at(i, j) - want) / Math.sqrt(g.at(i, i) * g.at(j, j)));
            }
        assertTrue(worst < 1e-5, "Gram off by " + worst + " of its scale");
    }

    /** The im2col rows times the weight are the convolution: (c, ky, kx) order, stride and padding right. */
    @ParameterizedTest
    @CsvSource({"3, 3, 1, 1", "4, 4, 4, 0", "1, 1, 1, 0", "3, 3, 2, 1"})
    void patchesTimesTheWeightAreTheConvolution(int kh, int kw, int stride, int pad) {
        Random r = new Random(kh * 10 + stride);
        int b = 2, c = 3, h = 9, wd = 8, out = 5;
        float[] x = new float[b * c * h * wd], w = new float[out * c * kh * kw];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        Tensor y = org.medmamba.autograd.ConvOps.conv2d(org.medmamba.autograd.Var.constant(Tensor.of(x, b, c, h, wd)),
                org.medmamba.autograd.Var.constant(Tensor.of(w, out, c, kh, kw)), null, stride, pad, 1).value();
        Tensor p = Calibration.patches(Tensor.of(x, b, c, h, wd), kh, kw, stride, pad);
        int ho = y.dim(2), wo = y.dim(3), k = c * kh * kw;
        assertEquals(b * ho * wo, p.dim(0));
        float[] pd = p.contiguous().data(), yd = y.contiguous().data();
        for (int n = 0; n < b; n++)
            for (int o = 0; o < out; o++)
                for (int pos = 0; pos < ho * wo; pos++) {
                    double v = 0;
                    for (int j = 0; j < k; j++) v += pd[(n * ho * wo + pos) * k + j] * w[o * k + j];
                    assertEquals(yd[((n * out + o) * ho * wo) + pos], v, 1e-4, "image " + n + " channel " + o + " position " + pos);
                }
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

    /**
     * GPTQ over the whole model: every linear and non-grouped conv layer is rounded (the patch
     * embedding, the conv branch, in_proj/out_proj, merging, head), their summed output error on
     * the calibration inputs drops well below nearest rounding's, no layer's rises, and the
     * bundle stores exactly the integers GPTQ chose.
     */
    @Test
    void gptqRoundsEveryLayerAndTheBundleKeepsItsIntegers() throws IOException {
        Random r = new Random(12);
        MedMamba m = withOutliers(r);
        QuantScheme s = QuantScheme.of(4, 32, null);
        Calibration.Result res = Calibration.run(m, batches(r, 4), s, true, null);
        List<String> names = res.rounded().stream().map(Calibration.Rounded::weight).toList();
        for (String want : new String[]{"patch_embed.proj.weight", "layers.0.blocks.0.conv33conv33conv11.1.weight",
                "layers.0.blocks.0.conv33conv33conv11.7.weight", "layers.0.blocks.0.self_attention.in_proj.weight",
                "layers.0.blocks.0.self_attention.out_proj.weight", "layers.0.downsample.reduction.weight", "head.weight"})
            assertTrue(names.contains(want), want + " not rounded: " + names);
        assertTrue(names.stream().noneMatch(n -> n.endsWith("self_attention.conv2d.weight")), "depthwise convs keep nearest rounding");
        long better = res.rounded().stream().filter(l -> l.errorGptq() < 0.9 * l.errorNearest()).count();
        assertTrue(better >= 0.8 * res.rounded().size(), better + " of " + res.rounded().size() + " layers' error fell by 10 %");
        assertTrue(res.roundingErrorRatio() < 0.8, "summed error only x" + res.roundingErrorRatio());
        // the error reported is the layer's real output error on its real inputs: a conv (im2col, its
        // input not its output) and a smoothed linear (inputs x/s for the weights W·diag(s))
        Calibration.Layer smoothed = res.layers().stream().filter(l -> l.alpha() > 0).findFirst().orElseThrow();
        for (String layer : new String[]{"layers.0.blocks.0.conv33conv33conv11.4", smoothed.linear()}) {
            Map<String, Object> before = m.stateDict();
            String norm = Calibration.pairs(before).stream().filter(p -> p.linear().equals(layer)).map(Calibration.Pair::norm).findFirst().orElse(null);
            int cols = res.integers().get(layer + ".weight").cols(), rows = res.integers().get(layer + ".weight").rows();
            float[] s0 = new float[cols];
            java.util.Arrays.fill(s0, 1f);
            if (norm != null) {   // s from the norm the scales were divided into
                float[] g0 = ((Tensor) before.get(norm + ".weight")).data(), g1 = ((Tensor) res.stateDict().get(norm + ".weight")).data();
                for (int j = 0; j < cols; j++) s0[j] = g0[j] / g1[j];
            }
            float[] w0 = ((Tensor) before.get(layer + ".weight")).contiguous().data();
            List<Tensor> inputs = new ArrayList<>();
            org.medmamba.nn.Module mod = m;
            for (String part : layer.split("\\.")) mod = mod.children().get(part);
            if (mod instanceof org.medmamba.nn.Conv2d c) c.observeInputs(t -> inputs.add(Calibration.patches(t, 3, 3, 1, 1)));
            else ((org.medmamba.nn.Linear) mod).observeInputs(t -> inputs.add(Tensor.of(t.contiguous().data().clone(), t.size() / cols, cols)));
            Random same = new Random(12);
            withOutliers(same);   // the same draws as above, so the same calibration batches
            try (var on = org.medmamba.autograd.GradMode.enableGrad()) {
                for (Tensor bt : batches(same, 4)) m.forward(org.medmamba.autograd.Var.constant(bt));
            }
            var q = res.integers().get(layer + ".weight");
            double err = 0;
            long n = 0;
            for (Tensor in : inputs) {
                float[] xd = in.contiguous().data();
                int k = xd.length / cols;
                for (int i = 0; i < k; i++, n++)
                    for (int o = 0; o < rows; o++) {
                        double e = 0;
                        for (int j = 0; j < cols; j++) e += xd[i * cols + j] / s0[j] * (q.get(o, j) - w0[o * cols + j] * s0[j]);
                        err += e * e;
                    }
            }
            Calibration.Rounded rep = res.rounded().stream().filter(l -> l.weight().equals(layer + ".weight")).findFirst().orElseThrow();
            assertEquals(rep.rows(), n, layer + ": rows seen");
            assertEquals(rep.errorGptq(), err / n, 1e-4 * rep.errorGptq(), layer + ": the reported error is the output error");
        }
        Path q = dir.resolve("gptq.mmb");
        ModelBundle b = QuantizationTest.bundle(m);
        new ModelBundle(b.config(), b.labels(), b.imageHeight(), b.imageWidth(), b.mean(), b.std(), b.provenance(), res.stateDict())
                .withScheme(s, Map.of(), res.integers()).save(q);
        Map<String, Object> changed = new java.util.LinkedHashMap<>(res.stateDict());   // a later change to a weight: its integers are stale
        Tensor head = (Tensor) changed.get("head.weight");
        float[] hw = head.contiguous().data().clone();
        hw[0] += 0.5f;
        changed.put("head.weight", Tensor.of(hw, head.shape()));
        IllegalArgumentException stale = assertThrows(IllegalArgumentException.class, () ->
                new ModelBundle(b.config(), b.labels(), b.imageHeight(), b.imageWidth(), b.mean(), b.std(), b.provenance(), changed)
                        .withScheme(s, Map.of(), res.integers()).save(dir.resolve("stale.mmb")));
        assertEquals("integer weights given for head.weight are not those of its float weights", stale.getMessage());
        ModelBundle back = ModelBundle.load(q);
        for (Map.Entry<String, org.medmamba.kernels.QuantizedMatrix> e : res.integers().entrySet()) {
            org.medmamba.kernels.QuantizedMatrix got = back.quantized().get(e.getKey());
            assertTrue(java.util.Arrays.equals(e.getValue().data(), got.data()) && java.util.Arrays.equals(e.getValue().scales(), got.scales()),
                    e.getKey() + ": the bundle holds GPTQ's integers");
        }
    }

    @Test
    void sixteenBitsNeedsNoCalibration() {
        MedMamba m = QuantizationTest.small();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Calibration.run(m, batches(new Random(1), 1), QuantScheme.of(16, 0, null), null));
        assertTrue(e.getMessage().contains("8- and 4-bit"), e.getMessage());
    }
}
