package org.medmamba.model;

import java.util.Map;
import java.util.TreeSet;

/** Recovers a MedMamba architecture from a state dict's tensor names and shapes. */
public final class ConfigInference {
    private ConfigInference() {}

    /** @param shapes tensor name → shape */
    public static MedMambaConfig infer(Map<String, int[]> shapes) {
        int[] embed = require(shapes, "patch_embed.proj.weight");
        int[] head = require(shapes, "head.weight");
        int[] depths = new int[4], dims = new int[4];
        for (int i = 0; i < 4; i++) {
            TreeSet<Integer> blocks = new TreeSet<>();
            String prefix = "layers." + i + ".blocks.";
            for (String k : shapes.keySet()) {
                if (!k.startsWith(prefix)) continue;
                String rest = k.substring(prefix.length());
                int dot = rest.indexOf('.');
                try {
                    blocks.add(Integer.parseInt(dot < 0 ? rest : rest.substring(0, dot)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unexpected key " + k);
                }
            }
            if (blocks.isEmpty()) throw new IllegalArgumentException("no blocks found for stage " + i + " (keys " + prefix + "*)");
            if (blocks.first() != 0 || blocks.last() != blocks.size() - 1)
                throw new IllegalArgumentException("stage " + i + " block indices are not 0.." + (blocks.size() - 1) + ": " + blocks);
            depths[i] = blocks.size();
            dims[i] = 2 * require(shapes, prefix + "0.ln_1.weight")[0];
        }
        int dState = require(shapes, "layers.0.blocks.0.self_attention.A_logs")[1];
        if (embed[0] != dims[0]) throw new IllegalArgumentException("patch embedding has " + embed[0] + " channels but stage 0 has " + dims[0]);
        return new MedMambaConfig(depths, dims, dState, head[0], embed[1], 0.1f);
    }

    private static int[] require(Map<String, int[]> shapes, String key) {
        int[] s = shapes.get(key);
        if (s == null) throw new IllegalArgumentException("not a MedMamba state dict: no tensor named " + key);
        return s;
    }
}
