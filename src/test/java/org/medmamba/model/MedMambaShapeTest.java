package org.medmamba.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Parameter counts of the presets (the paper's table) and the original state-dict key names. */
class MedMambaShapeTest {
    @Test
    void presetParameterCounts() {
        assertEquals(14_457_222L, new MedMamba(MedMambaConfig.tiny(6, 3), 0).parameterCount());
        assertEquals(18_625_158L, new MedMamba(MedMambaConfig.small(6, 3), 0).parameterCount());
        assertEquals(39_864_838L, new MedMamba(MedMambaConfig.base(6, 3), 0).parameterCount());
    }

    @Test
    void stateDictKeysFollowTheOriginal() {
        var keys = new MedMamba(MedMambaConfig.tiny(6, 3), 0).stateDict().keySet();
        for (String k : new String[]{"patch_embed.proj.weight", "layers.2.blocks.3.self_attention.x_proj_weight",
                "layers.0.blocks.1.conv33conv33conv11.5.running_var", "layers.0.blocks.1.conv33conv33conv11.5.num_batches_tracked",
                "layers.1.downsample.reduction.weight", "head.bias", "layers.3.blocks.1.self_attention.A_logs"})
            assertTrue(keys.contains(k), k);
        assertFalse(keys.stream().anyMatch(k -> k.startsWith("layers.3.downsample")));
    }
}
