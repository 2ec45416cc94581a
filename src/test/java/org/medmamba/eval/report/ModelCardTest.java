package org.medmamba.eval.report;

import org.medmamba.train.EpochRecord;
import org.junit.jupiter.api.Test;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ModelCardTest {
    @Test
    void readsTheBundleAndTheHistory() {
        MedMambaConfig cfg = new MedMambaConfig(new int[]{1, 1, 1, 1}, new int[]{8, 16, 32, 64}, 4, 2, 1, 0f);
        MedMamba model = new MedMamba(cfg, 0);
        ModelBundle b = new ModelBundle(cfg, List.of("x", "y"), 64, 32, new float[]{0.5f}, new float[]{0.25f},
                Map.of("source", "test"), model.stateDict());
        List<EpochRecord> h = Synthetic.history(3, 0);
        ModelCard c = ModelCard.of(b, "data/d", "val", h);
        assertEquals("custom", c.variant());
        assertEquals(model.parameterCount(), c.parameters());
        assertEquals(64, c.imageHeight());
        assertEquals(32, c.imageWidth());
        assertEquals(1, c.channels());
        assertEquals(3, c.epochs());
        assertEquals(h.stream().mapToDouble(EpochRecord::seconds).sum(), c.trainingSeconds(), 1e-9);
        assertEquals("test", c.provenance().get("source"));
        assertEquals(-1, ModelCard.of(b, null, null, List.of()).epochs());
        assertEquals("small", ModelCard.variantOf(MedMambaConfig.small(4, 3).withDropPath(0.3f)));
        assertEquals("tiny", ModelCard.variantOf(MedMambaConfig.tiny(2, 1)));
    }
}
