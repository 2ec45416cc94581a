package org.medmamba.data.transform;

import java.util.SplittableRandom;

/** A crop rectangle in source pixels. */
public record CropBox(int top, int left, int height, int width) {
    /**
     * torchvision's RandomResizedCrop.get_params: ten tries at a random area and log-uniform aspect
     * ratio that fits, then the largest centred crop with the ratio clamped into range.
     */
    public static CropBox random(SplittableRandom rng, int h, int w, Augmentation a) {
        double area = (double) h * w, logLo = Math.log(a.ratioMin()), logHi = Math.log(a.ratioMax());
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * uniform(rng, a.scaleMin(), a.scaleMax());
            double ratio = Math.exp(uniform(rng, logLo, logHi));
            int cw = (int) Math.round(Math.sqrt(target * ratio));
            int ch = (int) Math.round(Math.sqrt(target / ratio));
            if (0 < cw && cw <= w && 0 < ch && ch <= h) {
                int top = rng.nextInt(h - ch + 1), left = rng.nextInt(w - cw + 1);
                return new CropBox(top, left, ch, cw);
            }
        }
        double inRatio = (double) w / h;
        int cw, ch;
        if (inRatio < a.ratioMin()) {
            cw = w;
            ch = (int) Math.round(cw / a.ratioMin());
        } else if (inRatio > a.ratioMax()) {
            ch = h;
            cw = (int) Math.round(ch * a.ratioMax());
        } else {
            cw = w;
            ch = h;
        }
        return new CropBox((h - ch) / 2, (w - cw) / 2, ch, cw);
    }

    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
    }
}
