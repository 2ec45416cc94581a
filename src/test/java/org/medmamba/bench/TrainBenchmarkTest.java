package org.medmamba.bench;

import org.junit.jupiter.api.Test;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainBenchmarkTest {
    @Test
    void liveHeapHoldsWeightsOptimizerStateAndActivations() {
        var s = new TrainBenchmark.Settings("tiny", 32, 32, 2, 6, 1, 0, 1);
        TrainBenchmark.Result r = TrainBenchmark.run(s, line -> {});
        long params = new MedMamba(MedMambaConfig.variant("tiny", 6, 3), 0).parameters().stream()
                .mapToLong(p -> p.value().size()).sum();
        // weights, their gradients and AdamW's two moments are all resident after a step
        assertTrue(r.liveAfterForwardBytes() >= 4 * 4L * params,
                "live " + r.liveAfterForwardBytes() + " < 16 bytes x " + params + " parameters");
        // the pools' peak covers at least the live set of a step minus its activations
        assertTrue(r.peakHeapBytes() >= 3 * 4L * params, "peak " + r.peakHeapBytes());
        assertEquals(2 / r.sPerStep(), r.imagesPerS(), 1e-9);
    }
}
