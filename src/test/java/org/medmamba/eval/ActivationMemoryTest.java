package org.medmamba.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.tensor.Tensor;

class ActivationMemoryTest {

    @Test
    void peakAndCacheAreInTheExpectedRange() {
        int[] dims = {32, 64, 128, 256};
        MedMambaConfig config = new MedMambaConfig(new int[]{1, 1, 2, 1}, dims, 16, 4, 3, 0f);
        Tensor input = Tensor.randn(new Random(2), 1f, 1, 3, 128, 128);
        // Size the kernels' per-thread scratch first with another model of the same shape: otherwise the
        // measured model's first pass may replace scratch arrays an earlier test left smaller, and the
        // freed ones offset what it caches (the result then depended on the order tests ran in).
        ActivationMemory.measure(new MedMamba(config, 7), input);
        MedMamba model = new MedMamba(config, 1);
        model.train(false);
        ActivationMemory.Usage u = ActivationMemory.measure(model, input);
        // the patch embedding's output (32×32 positions × 32 channels) and in_proj's (twice dInner = 2·dims[0])
        // are alive at once at some point; a pass over a 128×128 image never needs 40× that
        long patchOut = 32L * 32 * dims[0] * 4;
        assertTrue(u.peakBytes() >= patchOut, "peak " + u.peakBytes() + " < one activation " + patchOut);
        assertTrue(u.peakBytes() <= 40 * patchOut, "peak " + u.peakBytes() + " > 40 × " + patchOut);
        // the first pass caches the BatchNorm-folded 3×3 conv weights: 2 per block, (C/2)²·9 floats each
        long folded = 0;
        int[] depths = {1, 1, 2, 1};
        for (int s = 0; s < 4; s++) folded += depths[s] * 2L * (dims[s] / 2) * (dims[s] / 2) * 9 * 4;
        assertTrue(u.cacheBytes() >= folded * 9 / 10, "cache " + u.cacheBytes() + " < folded weights " + folded);
    }
}
