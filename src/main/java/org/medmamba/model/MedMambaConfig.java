package org.medmamba.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Architecture of a MedMamba network (the original's VSSM arguments).
 *
 * @param depths       blocks per stage (four stages)
 * @param dims         channels per stage
 * @param dState       SSM state size N
 * @param numClasses   classifier outputs
 * @param inChans      input image channels (1 grayscale, 3 RGB)
 * @param dropPathRate stochastic-depth rate of the last block (linear from 0)
 */
public record MedMambaConfig(int[] depths, int[] dims, int dState, int numClasses, int inChans, float dropPathRate) {
    public MedMambaConfig {
        depths = depths.clone();
        dims = dims.clone();
        if (depths.length != 4 || dims.length != 4) throw new IllegalArgumentException("MedMamba needs 4 stages (depths and dims of length 4)");
        for (int i = 0; i < 4; i++) {
            if (depths[i] < 1) throw new IllegalArgumentException("depths must be >= 1, got " + Arrays.toString(depths));
            if (dims[i] < 2 || dims[i] % 2 != 0) throw new IllegalArgumentException("dims must be even and >= 2, got " + Arrays.toString(dims));
            if (i > 0 && dims[i] != 2 * dims[i - 1])
                throw new IllegalArgumentException("each stage doubles the channels (patch merging C→2C), got dims " + Arrays.toString(dims));
        }
        if (dState < 1) throw new IllegalArgumentException("d_state must be >= 1");
        if (numClasses < 1) throw new IllegalArgumentException("num_classes must be >= 1");
        if (inChans < 1) throw new IllegalArgumentException("in_chans must be >= 1");
        if (dropPathRate < 0 || dropPathRate >= 1) throw new IllegalArgumentException("drop_path_rate must be in [0, 1)");
    }

    public static MedMambaConfig tiny(int numClasses, int inChans) {
        return new MedMambaConfig(new int[]{2, 2, 4, 2}, new int[]{96, 192, 384, 768}, 16, numClasses, inChans, 0.1f);
    }

    public static MedMambaConfig small(int numClasses, int inChans) {
        return new MedMambaConfig(new int[]{2, 2, 8, 2}, new int[]{96, 192, 384, 768}, 16, numClasses, inChans, 0.1f);
    }

    public static MedMambaConfig base(int numClasses, int inChans) {
        return new MedMambaConfig(new int[]{2, 2, 12, 2}, new int[]{128, 256, 512, 1024}, 16, numClasses, inChans, 0.1f);
    }

    public static MedMambaConfig variant(String name, int numClasses, int inChans) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny", "t" -> tiny(numClasses, inChans);
            case "small", "s" -> small(numClasses, inChans);
            case "base", "b" -> base(numClasses, inChans);
            default -> throw new IllegalArgumentException("unknown variant '" + name + "' (expected tiny, small or base)");
        };
    }

    public MedMambaConfig withDropPath(float rate) {
        return new MedMambaConfig(depths, dims, dState, numClasses, inChans, rate);
    }

    public int totalBlocks() {
        return Arrays.stream(depths).sum();
    }

    /**
     * Trainable parameters of the network this config builds, computed from the shapes alone, so
     * that a declared architecture can be checked before anything is allocated
     * (MedMambaConfigTest pins it to the built model's count).
     */
    public long parameterCount() {
        long n = (long) dims[0] * inChans * 16 + 3L * dims[0];                   // patch embedding conv + LayerNorm
        for (int i = 0; i < 4; i++) {
            long h = dims[i] / 2, inner = 2 * h, r = (long) Math.ceil(h / 16.0), k = 4;
            long ssm = 2 * h                                                     // ln_1
                    + 2 * inner * h                                              // in_proj
                    + inner * 9 + inner                                          // depthwise conv2d
                    + k * (r + 2L * dState) * inner                              // x_proj
                    + k * inner * r + k * inner                                  // dt_projs weight, bias
                    + k * inner * dState + k * inner                             // A_logs, Ds
                    + 2 * inner + h * inner;                                     // out_norm, out_proj
            long conv = 3 * 2 * h + 2 * (h * h * 9 + h) + (h * h + h);           // 3 BatchNorms, two 3x3 convs, a 1x1 conv
            n += depths[i] * (ssm + conv);
            if (i < 3) n += 8L * dims[i] * dims[i] + 8L * dims[i];               // patch merging: 4C→2C linear, LayerNorm(4C)
        }
        return n + (long) numClasses * dims[3] + numClasses;                      // head
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MedMambaConfig c && Arrays.equals(depths, c.depths) && Arrays.equals(dims, c.dims)
                && dState == c.dState && numClasses == c.numClasses && inChans == c.inChans && dropPathRate == c.dropPathRate;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(depths) * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "MedMambaConfig[depths=" + Arrays.toString(depths) + ", dims=" + Arrays.toString(dims) + ", d_state=" + dState
                + ", num_classes=" + numClasses + ", in_chans=" + inChans + ", drop_path_rate=" + dropPathRate + "]";
    }
}
