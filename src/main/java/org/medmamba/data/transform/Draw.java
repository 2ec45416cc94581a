package org.medmamba.data.transform;

import java.util.SplittableRandom;

/** The random choices of one training augmentation, drawn in a fixed order from the sample's generator. */
public record Draw(CropBox crop, boolean flip, double degrees, double tx, double ty,
                   float brightness, float contrast, boolean brightnessFirst) {

    /** Draws for a source image of h × w pixels and an output of outH × outW. */
    public static Draw of(SplittableRandom rng, Augmentation a, int h, int w, int outH, int outW) {
        CropBox crop = CropBox.random(rng, h, w, a);
        boolean flip = rng.nextDouble() < a.flipP();
        double deg = CropBox.uniform(rng, -a.degrees(), a.degrees());
        float b = (float) CropBox.uniform(rng, 1 - a.brightness(), 1 + a.brightness());
        float c = (float) CropBox.uniform(rng, 1 - a.contrast(), 1 + a.contrast());
        boolean brightnessFirst = rng.nextBoolean();
        double tx = Math.round(CropBox.uniform(rng, -a.translate() * outW, a.translate() * outW));
        double ty = Math.round(CropBox.uniform(rng, -a.translate() * outH, a.translate() * outH));
        return new Draw(crop, flip, deg, tx, ty, b, c, brightnessFirst);
    }

    boolean moves() {
        return flip || degrees != 0 || tx != 0 || ty != 0;
    }
}
