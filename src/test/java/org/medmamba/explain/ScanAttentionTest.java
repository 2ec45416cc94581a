package org.medmamba.explain;

import org.junit.jupiter.api.Test;
import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.Var;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.model.ScanCapture;
import org.medmamba.model.ScanRecording;
import org.medmamba.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The hidden attention is the scan: α·x + D·x rebuilds what the scan kernel computed. */
class ScanAttentionTest {
    // odd sizes: SS2D d_model 3, 6, 12, 24 (d_inner twice that), d_state 3, two blocks in stage 0, batch 2,
    // a 32 × 96 input: grids 8 × 24, 4 × 12, 2 × 6 and 1 × 3, so rows and columns differ
    static final MedMambaConfig ODD = new MedMambaConfig(new int[]{2, 1, 1, 1}, new int[]{6, 12, 24, 48}, 3, 2, 1, 0f);

    private static float[] input(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @Test
    void attentionTimesTheScanInputPlusSkipIsTheKernelsOutput() {
        MedMamba m = new MedMamba(ODD, 3);
        float[] x = input(2 * 1 * 32 * 96, 9);
        List<ScanRecording.Entry> entries;
        float[] fused, recorded;
        try (var g = GradMode.noGrad()) {
            fused = m.forward(Var.constant(Tensor.of(x, 2, 1, 32, 96))).value().data();
            try (ScanRecording r = m.recordScans(0)) {
                recorded = m.forward(Var.constant(Tensor.of(x, 2, 1, 32, 96))).value().data();
                entries = List.copyOf(r.entries());
            }
            assertArrayEquals(fused, m.forward(Var.constant(Tensor.of(x, 2, 1, 32, 96))).value().data(), "closed: the fused path again");
        }
        assertArrayEquals(fused, recorded, 2e-5f, "recording changes no output");
        assertEquals(List.of("0.0", "0.1", "1.0", "2.0", "3.0"), entries.stream().map(e -> e.stage() + "." + e.block()).toList());
        double worst = 0;
        for (ScanRecording.Entry e : entries) {
            ScanCapture c = e.scan();
            int len = c.length(), ch = c.channels();
            for (int bi = 0; bi < 2; bi++)
                for (int k = 0; k < 4; k++)
                    for (int d = 0; d < ch; d++) {
                        double[] alpha = ScanAttention.channel(c, bi, k, d);
                        int row = (bi * 4 * ch + k * ch + d) * len;
                        double scale = 0;
                        for (int t = 0; t < len; t++) scale = Math.max(scale, Math.abs(c.y()[row + t]));
                        for (int t = 0; t < len; t++) {
                            double y = c.dSkip()[k * ch + d] * (double) c.u()[row + t];
                            for (int s = 0; s < len; s++) {
                                if (s > t) assertEquals(0.0, alpha[t * len + s], "causal: step " + t + " reads no later step");
                                y += alpha[t * len + s] * c.u()[row + s];
                            }
                            double rel = Math.abs(y - c.y()[row + t]) / Math.max(Math.abs(c.y()[row + t]), 1e-2 * scale);
                            worst = Math.max(worst, rel);
                            assertTrue(rel < 1e-4, "stage " + e.stage() + " block " + e.block() + " batch " + bi + " direction " + k
                                    + " channel " + d + " step " + t + ": α·x + D·x = " + y + ", kernel " + c.y()[row + t]);
                        }
                    }
        }
        System.out.println("ScanAttentionTest: worst relative error of α·x + D·x against the kernel " + worst);
        assertTrue(worst > 0, "a comparison that found no rounding at all compared nothing");
    }

    /** The channel mean on the grid is the mean of the per-channel |α| moved to grid cells by each direction's order. */
    @Test
    void directionMapsAreChannelMeansOfAbsoluteAttentionOnTheGrid() {
        MedMamba m = new MedMamba(ODD, 4);
        ScanCapture c;
        try (var g = GradMode.noGrad(); ScanRecording r = m.recordScans(1)) {
            m.forward(Var.constant(Tensor.of(input(32 * 96, 2), 1, 1, 32, 96)));
            c = r.entries().getFirst().scan();
        }
        assertEquals(4, c.height());
        assertEquals(12, c.width());
        int len = c.length(), ch = c.channels();
        float[][] maps = ScanAttention.directionMaps(c, 0);
        for (int k = 0; k < 4; k++) {
            double[] mean = new double[len * len];
            for (int d = 0; d < ch; d++) {
                double[] a = ScanAttention.channel(c, 0, k, d);
                for (int t = 0; t < len; t++)
                    for (int s = 0; s < len; s++)
                        mean[org.medmamba.kernels.CrossScan.gridIndex(k, t, 4, 12) * len + org.medmamba.kernels.CrossScan.gridIndex(k, s, 4, 12)]
                                += Math.abs(a[t * len + s]) / ch;
            }
            for (int i = 0; i < mean.length; i++) assertEquals(mean[i], maps[k][i], 1e-6 * Math.max(1, mean[i]), "direction " + k + " entry " + i);
        }
        // the first step of row-major (cell 0) is read by every cell, and reads only itself
        for (int p = 0; p < len; p++) assertTrue(maps[0][p * len] > 0, "cell " + p + " reads cell 0");
        for (int q = 1; q < len; q++) assertEquals(0f, maps[0][q]);
    }

    /** The capture's scan-order inputs are the grid in the order CrossScan.gridIndex says (direction 0 is row-major). */
    @Test
    void capturedSequencesFollowTheCrossScanOrder() {
        MedMamba m = new MedMamba(ODD, 5);
        List<ScanRecording.Entry> entries;
        try (var g = GradMode.noGrad(); ScanRecording r = m.recordScans(0)) {
            m.forward(Var.constant(Tensor.of(input(32 * 96, 3), 1, 1, 32, 96)));
            entries = List.copyOf(r.entries());
        }
        for (ScanRecording.Entry e : entries) {
            ScanCapture c = e.scan();
            int len = c.length(), ch = c.channels();
            for (int k = 1; k < 4; k++)
                for (int d = 0; d < ch; d++)
                    for (int l = 0; l < len; l++)
                        assertEquals(c.u()[d * len + org.medmamba.kernels.CrossScan.gridIndex(k, l, c.height(), c.width())],
                                c.u()[(k * ch + d) * len + l], "stage " + e.stage() + " direction " + k + " step " + l);
        }
    }

    /** ssm through the method registry: five maps at input size in [0, 1]; the uniform seed's are the same for every class. */
    @Test
    void ssmMapsAtInputSizeIndependentOfTheClass() throws Exception {
        org.medmamba.eval.Predictor p = ExplanationsTest.tiny();
        org.medmamba.data.image.Image img = ExplanationsTest.brain(p);
        for (int stage = 0; stage < 4; stage++) {
            var uniform = ScanAttentionMap.Seed.UNIFORM;
            ScanAttentionMap.Result r0 = ScanAttentionMap.explain(p, img, 0, stage, uniform), r2 = ScanAttentionMap.explain(p, img, 2, stage, uniform);
            assertEquals(List.of("ssm", "ssm.row", "ssm.col", "ssm.row-rev", "ssm.col-rev"), r0.all().stream().map(Explanation::method).toList());
            for (int i = 0; i < 5; i++) {
                Explanation e = r0.all().get(i);
                assertEquals(32 * 32, e.map().length);
                float max = 0;
                for (float v : e.map()) {
                    assertTrue(v >= 0 && v <= 1, e.method() + " stage " + stage + ": " + v);
                    max = Math.max(max, v);
                }
                assertEquals(1f, max, 1e-6f, "scaled to its maximum");
                assertArrayEquals(e.map(), r2.all().get(i).map(), "class-independent");
            }
            assertEquals(p.predict(List.of(img))[0][2], r2.combined().probability(), 1e-5f);
            ScanAttentionMap.Result c0 = ScanAttentionMap.explain(p, img, 0, stage);
            assertArrayEquals(c0.combined().map(), Explanations.explain(p, img, "ssm", 0, stage).map());
            for (Explanation e : c0.all()) {
                float max = 0, min = 1;
                for (float v : e.map()) { max = Math.max(max, v); min = Math.min(min, v); }
                assertTrue(max == 1f && min >= 0f, e.method() + " class seed, stage " + stage + ": " + min + ".." + max);
            }
        }
    }

    /** Rollout by hand: one block on a 1 × 2 grid and a patch-merge split. */
    @Test
    void rolloutStepAndSplitByHand() {
        // Â rows (1, 0) and (1/4, 3/4): v = (½, ½) → ½v + ½vÂ = (¼ + ¼ + 1/16, ¼ + 3/16)
        double[] v = ScanAttentionMap.step(new double[]{0.5, 0.5}, new float[]{2, 0, 1, 3}, 2);
        assertArrayEquals(new double[]{0.5625, 0.4375}, v, 1e-12);
        // a 1 × 2 coarse grid onto 2 × 4: each parent's share in four equal parts
        assertArrayEquals(new double[]{0.1, 0.1, 0.15, 0.15, 0.1, 0.1, 0.15, 0.15}, ScanAttentionMap.split(new double[]{0.4, 0.6}, 2, 2, 4), 1e-12);
        // a cell with no attention keeps its share
        assertArrayEquals(new double[]{0.3, 0.7}, ScanAttentionMap.step(new double[]{0.3, 0.7}, new float[]{0, 0, 0, 0}, 2), 1e-12);
    }
}
