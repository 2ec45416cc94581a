package org.medmamba.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The parameter count computed from a config alone equals the built network's. */
class MedMambaConfigTest {
    @Test
    void parameterCountMatchesTheBuiltModel() {
        MedMambaConfig[] cfgs = {
                MedMambaConfig.tiny(6, 3), MedMambaConfig.small(2, 1), MedMambaConfig.base(1000, 3),
                new MedMambaConfig(new int[]{1, 2, 1, 3}, new int[]{34, 68, 136, 272}, 5, 7, 4, 0f),   // odd dt_rank: ceil(17/16)
                new MedMambaConfig(new int[]{1, 1, 1, 1}, new int[]{2, 4, 8, 16}, 1, 1, 1, 0f)};
        for (MedMambaConfig c : cfgs) assertEquals(new MedMamba(c, 0).parameterCount(), c.parameterCount(), c.toString());
        assertEquals(14_457_222, MedMambaConfig.tiny(6, 3).parameterCount());
    }
}
