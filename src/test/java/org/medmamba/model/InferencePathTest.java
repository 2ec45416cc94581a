package org.medmamba.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import org.medmamba.autograd.GradMode;
import org.medmamba.autograd.InferenceOps;
import org.medmamba.autograd.Var;
import org.medmamba.tensor.Tensor;

/**
 * Under no-grad, SS2D takes a fused channels-last path (InferenceOps); with grad on it runs the
 * recorded chain of ops that training uses. Both must give the same numbers.
 */
class InferencePathTest {

    /**
     * Every parameter nudged away from its initial value, so A, D, Δ bias etc. are all exercised;
     * BatchNorm running statistics made non-trivial (mean ≠ 0, var ≠ 1).
     */
    private static void perturb(org.medmamba.nn.Module m, long seed) {
        Random r = new Random(seed);
        for (Var p : m.parameters()) {
            float[] d = p.value().data().clone();
            for (int i = 0; i < d.length; i++) d[i] += (float) (0.1 * r.nextGaussian() * (Math.abs(d[i]) + 0.1));
            p.setValue(Tensor.of(d, p.shape()));
        }
        m.stateDict().forEach((k, v) -> {
            if (!(v instanceof Tensor t)) return;
            float[] d = t.storage();
            if (k.endsWith("running_mean")) for (int i = 0; i < d.length; i++) d[i] = (float) (0.2 * r.nextGaussian());
            if (k.endsWith("running_var")) for (int i = 0; i < d.length; i++) d[i] = (float) (0.5 + r.nextDouble());
        });
    }

    private static void assertClose(Tensor want, Tensor got, double rel) {
        assertArrayEquals(want.shape(), got.shape());
        float[] a = want.data(), b = got.data();
        double max = 0, err = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i]));
            err = Math.max(err, Math.abs(a[i] - b[i]));
        }
        assertTrue(max > 1e-3, "non-trivial output");
        assertTrue(err <= rel * max, "max |fused − recorded| = " + err + " against max |y| = " + max);
    }

    @Test
    void ss2dFusedPathEqualsRecordedPath() {
        for (int dModel : new int[]{24, 48}) {   // dInner 48 (three whole vectors) and 96; 24 → Δ rank 2
            SS2D ss2d = new SS2D(dModel, 16, new Random(dModel));
            perturb(ss2d, dModel);
            ss2d.train(false);
            Tensor x = Tensor.randn(new Random(7), 1f, 2, 5, 9, dModel);
            assertPathsAgree(ss2d::forward, x, 2e-5);
        }
    }

    @Test
    void ss2dWithPartialChannelBlock() {
        SS2D ss2d = new SS2D(10, 6, new Random(1));   // dInner 20: one vector and a partial one; N = 6
        perturb(ss2d, 2);
        ss2d.train(false);
        Tensor x = Tensor.randn(new Random(8), 1f, 1, 7, 4, 10);
        assertPathsAgree(ss2d::forward, x, 2e-5);
    }

    /** Both inference forms of the conv branch: NCHW (large grid) and channels-last (7×7, batch 8). */
    @Test
    void ssConvSsmBlockInEvalModeAgrees() {
        boolean[] channelsLast = {false, true};
        int[][] shapes = {{2, 28, 28, 32}, {8, 7, 7, 64}};
        for (int c = 0; c < 2; c++) {
            int[] shape = shapes[c];
            SSConvSSM block = new SSConvSSM(shape[3], 16, 0f, new Random(shape[3]), new Random(0));
            assertEquals(channelsLast[c], block.channelsLastConvBranch(shape[0], shape[1], shape[2]), "layout the test means to cover");
            perturb(block, shape[1]);
            block.train(false);
            Tensor x = Tensor.randn(new Random(3), 1f, shape);
            assertPathsAgree(block::forward, x, 2e-5);
        }
    }

    /** forward(x) with the tape (x a parameter), the recorded path. */
    private static Tensor recorded(UnaryOperator<Var> forward, Tensor x) {
        return forward.apply(Var.param(x)).value();
    }

    /** forward(x) under no-grad, the fused path. */
    private static Tensor fused(UnaryOperator<Var> forward, Tensor x) {
        try (var g = GradMode.noGrad()) {
            return forward.apply(Var.constant(x)).value();
        }
    }

    private static void assertPathsAgree(UnaryOperator<Var> forward, Tensor x, double rel) {
        assertClose(recorded(forward, x), fused(forward, x), rel);
    }

    /**
     * The conv branch caches its BatchNorm-folded weights. Each half of the cache key on its own:
     * running statistics written in place, then one parameter replaced; and a repeated call must
     * reuse the entry, and training mode must drop it.
     */
    @Test
    void foldedWeightCacheFollowsStatisticsAndParameters() {
        for (int[] shape : new int[][]{{2, 28, 28, 32}, {8, 7, 7, 64}}) {
            SSConvSSM block = new SSConvSSM(shape[3], 16, 0f, new Random(1), new Random(0));
            perturb(block, 5);
            block.train(false);
            Tensor x = Tensor.randn(new Random(3), 1f, shape);
            Tensor before = fused(block::forward, x);
            Object entry = block.convBranchCache();
            assertNotNull(entry);
            fused(block::forward, x);
            assertSame(entry, block.convBranchCache(), "an unchanged model reuses the folded weights");

            // statistics only, in place (as a BatchNorm re-calibration would)
            Tensor mean = (Tensor) block.stateDict().get("conv33conv33conv11.2.running_mean");
            for (int i = 0; i < mean.size(); i++) mean.storage()[i] += 0.5f;
            assertPathsAgree(block::forward, x, 2e-5);
            Tensor afterStats = fused(block::forward, x);
            assertTrue(maxDiff(before, afterStats) > 1e-3, "the new statistics changed the output");

            // one parameter replaced, statistics unchanged
            Var w = block.namedParameters().get("conv33conv33conv11.4.weight");
            float[] d = w.value().data().clone();
            for (int i = 0; i < d.length; i++) d[i] *= 1.5f;
            w.setValue(Tensor.of(d, w.shape()));
            assertPathsAgree(block::forward, x, 2e-5);
            assertTrue(maxDiff(afterStats, fused(block::forward, x)) > 1e-3, "the new weight changed the output");

            block.train(true);
            assertNull(block.convBranchCache(), "training mode drops the cache");
        }
    }

    private static double maxDiff(Tensor a, Tensor b) {
        float[] x = a.data(), y = b.data();
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }

    @Test
    void wholeModelEvalLogitsAgree() {
        MedMamba m = new MedMamba(new MedMambaConfig(new int[]{1, 1, 2, 1}, new int[]{32, 64, 128, 256}, 16, 5, 1, 0f), 3);
        perturb(m, 4);
        m.train(false);
        Tensor x = Tensor.randn(new Random(9), 1f, 2, 1, 64, 96);
        assertPathsAgree(m::forward, x, 1e-4);
    }

    /** The one switch: fast path only with no tape AND eval mode. */
    @Test
    void inferencePathNeedsNoGradAndEvalMode() {
        SS2D m = new SS2D(8, 4, new Random(1));
        assertTrue(m.isTraining());
        assertTrue(!m.inferencePath(), "train mode, grad on");
        try (var g = GradMode.noGrad()) {
            assertTrue(!m.inferencePath(), "train mode under no-grad keeps the training ops");
        }
        m.train(false);
        assertTrue(!m.inferencePath(), "eval mode with grad on records the tape");
        try (var g = GradMode.noGrad()) {
            assertTrue(m.inferencePath(), "eval mode, no grad");
        }
    }

    @Test
    void fusedOpsRefuseToRecord() {
        Random r = new Random(1);
        Var x = Var.param(Tensor.randn(r, 1f, 1, 4, 4, 32));
        Var half = Var.param(Tensor.randn(r, 1f, 1, 4, 4, 16));
        Var c = Var.constant(Tensor.randn(r, 1f, 1, 4, 4, 16));
        Var w = Var.constant(Tensor.randn(r, 1f, 16, 1, 3, 3));
        Var ln = Var.constant(Tensor.full(1f, 16));
        // u (1,4,4,16), xdbl (1,4,4,4·(1+2·2)), wdt (64,1), bias (64), A (64,2), D (64)
        Var xdbl = Var.constant(Tensor.randn(r, 1f, 1, 4, 4, 20)), wdt = Var.constant(Tensor.randn(r, 1f, 64, 1));
        Var v64 = Var.constant(Tensor.full(0.1f, 64)), a = Var.constant(Tensor.full(-1f, 64, 2));
        java.util.List<org.junit.jupiter.api.function.Executable> calls = java.util.List.of(
                () -> InferenceOps.depthwise3x3ChannelsLast(x, 16, w, null, true),
                () -> InferenceOps.crossScan(half, xdbl, wdt, v64, a, v64),
                () -> InferenceOps.layerNormGate(half, ln, ln, 1e-5f, c),
                () -> InferenceOps.shuffleConcatResidualChannelsLast(half, c, x),
                () -> InferenceOps.conv3x3ChannelsLast(half, null, null, Tensor.randn(r, 1f, 16, 16, 3, 3), null, true),
                () -> InferenceOps.toChannelsFirst(half, null, null));
        for (var call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().contains("inference-only"), e.getMessage());
        }
        try (var g = GradMode.noGrad()) {   // and each runs without a tape
            for (var call : calls) org.junit.jupiter.api.Assertions.assertDoesNotThrow(call);
        }
    }
}
