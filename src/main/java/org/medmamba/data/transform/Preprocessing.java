package org.medmamba.data.transform;

import java.util.Arrays;

/**
 * What turns a decoded image into model input: channel conversion, size, normalisation and, for
 * training, the augmentations (null for evaluation: resize to H×W and normalise).
 */
public record Preprocessing(int channels, int height, int width, float[] mean, float[] std, Augmentation augmentation) {
    /** torchvision's ImageNet statistics, the default for models trained here. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f}, IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public Preprocessing {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        if (height < 1 || width < 1) throw new IllegalArgumentException("image size must be positive");
        if (mean.length != channels || std.length != channels)
            throw new IllegalArgumentException("mean and std need " + channels + " values each");
        for (float s : std) if (!(s > 0)) throw new IllegalArgumentException("std values must be > 0");
        mean = mean.clone();
        std = std.clone();
    }

    /** ImageNet mean/std for 3 channels; their average for 1 channel. */
    public static Preprocessing imagenet(int channels, int height, int width, Augmentation augmentation) {
        if (channels == 3) return new Preprocessing(3, height, width, IMAGENET_MEAN, IMAGENET_STD, augmentation);
        return new Preprocessing(channels, height, width, new float[]{0.449f}, new float[]{0.226f}, augmentation);
    }

    public Preprocessing withAugmentation(Augmentation a) {
        return new Preprocessing(channels, height, width, mean, std, a);
    }

    public int floatsPerImage() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return "Preprocessing[" + channels + "x" + height + "x" + width + ", mean=" + Arrays.toString(mean)
                + ", std=" + Arrays.toString(std) + ", augmentation=" + augmentation + "]";
    }
}
