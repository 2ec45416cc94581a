package org.medmamba.model;

/**
 * Multiply-accumulate counts of one forward pass for one image, computed from the architecture.
 * {@link #convLinearMacs} counts only nn.Conv2d and nn.Linear layers, as the paper's thop figure
 * does (thop does not see einsum projections or the scan); {@link #totalMacs} adds the four
 * x_proj and dt_proj projections and the selective scan (3 MACs per state element and step:
 * decay·h, Δu·B, h·C; the exp is not counted).
 */
public record Complexity(long convLinearMacs, long totalMacs) {

    public static Complexity of(MedMambaConfig cfg, int height, int width) {
        long conv = 0, extra = 0;
        int h = height / 4, w = width / 4;
        conv += (long) h * w * cfg.dims()[0] * cfg.inChans() * 16;                 // patch embedding 4×4/4
        for (int i = 0; i < 4; i++) {
            long l = (long) h * w;
            int c = cfg.dims()[i], half = c / 2, dInner = c, n = cfg.dState();
            int r = (int) Math.ceil(half / 16.0);
            long block = 0, blockExtra = 0;
            block += 2 * l * half * half * 9 + l * half * half;                     // conv branch: 3×3, 3×3, 1×1
            block += l * half * 2L * dInner;                                        // in_proj
            block += l * dInner * 9;                                                // depthwise 3×3
            block += l * dInner * half;                                             // out_proj
            blockExtra += 4 * l * dInner * (r + 2L * n);                            // x_proj, 4 directions
            blockExtra += 4 * l * r * dInner;                                       // dt_proj
            blockExtra += 4 * l * dInner * n * 3;                                   // scan recurrence and readout
            conv += block * cfg.depths()[i];
            extra += blockExtra * cfg.depths()[i];
            if (i < 3) {
                h /= 2;
                w /= 2;
                conv += (long) h * w * 4L * c * 2L * c;                             // patch merging reduction
            }
        }
        conv += (long) cfg.dims()[3] * cfg.numClasses();                            // head
        return new Complexity(conv, conv + extra);
    }
}
