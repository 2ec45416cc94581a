package org.medmamba.data.transform;

/**
 * The training augmentations of the seed article, every parameter configurable. Applied in this
 * order: RandomResizedCrop → horizontal flip → rotation → colour jitter → translation → normalise
 * (flip, rotation and translation are composed into one bilinear warp, sampled once).
 *
 * @param scaleMin,scaleMax crop area as a fraction of the image area (RandomResizedCrop scale)
 * @param ratioMin,ratioMax crop aspect ratio w/h range, sampled log-uniformly
 * @param flipP            probability of a horizontal flip
 * @param degrees          rotation angle drawn uniformly from [−degrees, degrees], counter-clockwise positive
 * @param brightness       brightness factor drawn from [1 − b, 1 + b]
 * @param contrast         contrast factor drawn from [1 − c, 1 + c]
 * @param translate        translation drawn from [−t·W, t·W] × [−t·H, t·H] pixels, rounded
 */
public record Augmentation(double scaleMin, double scaleMax, double ratioMin, double ratioMax, double flipP,
                           double degrees, double brightness, double contrast, double translate) {
    /** RandomResizedCrop(scale 0.7–1.0, ratio 3/4–4/3), flip 0.5, rotation ±15°, jitter 0.1/0.2, translate 0.1. */
    public static final Augmentation SEED = new Augmentation(0.7, 1.0, 3.0 / 4, 4.0 / 3, 0.5, 15, 0.1, 0.2, 0.1);

    /** No augmentation at all: a training transform with this equals the evaluation transform. */
    public static final Augmentation NONE = new Augmentation(1, 1, 1, 1, 0, 0, 0, 0, 0);

    public Augmentation {
        if (!(0 < scaleMin && scaleMin <= scaleMax && scaleMax <= 1)) throw new IllegalArgumentException("crop scale must satisfy 0 < min <= max <= 1");
        if (!(0 < ratioMin && ratioMin <= ratioMax)) throw new IllegalArgumentException("crop ratio must satisfy 0 < min <= max");
        if (!(0 <= flipP && flipP <= 1)) throw new IllegalArgumentException("flip probability must be in [0, 1]");
        if (!(0 <= degrees && degrees <= 180)) throw new IllegalArgumentException("rotation degrees must be in [0, 180]");
        if (!(0 <= brightness && brightness < 1) || !(0 <= contrast && contrast < 1))
            throw new IllegalArgumentException("brightness and contrast must be in [0, 1)");
        if (!(0 <= translate && translate <= 1)) throw new IllegalArgumentException("translate must be in [0, 1]");
    }
}
