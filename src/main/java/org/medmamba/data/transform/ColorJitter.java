package org.medmamba.data.transform;

/**
 * torchvision's brightness and contrast adjustments on [0, 1] images: brightness multiplies,
 * contrast blends with the mean grey level (ITU-R 601 luma for colour); both clamp to [0, 1].
 */
final class ColorJitter {
    private ColorJitter() {}

    static void brightness(float[] img, int off, int n, float factor) {
        for (int i = off; i < off + n; i++) img[i] = clamp(img[i] * factor);
    }

    static void contrast(float[] img, int off, int channels, int plane, float factor) {
        double sum = 0;
        if (channels >= 3) {
            for (int i = 0; i < plane; i++)
                sum += 0.299f * img[off + i] + 0.587f * img[off + plane + i] + 0.114f * img[off + 2 * plane + i];
        } else {
            for (int i = 0; i < plane; i++) sum += img[off + i];
        }
        float blend = (float) ((1 - factor) * (sum / plane));
        for (int i = off; i < off + channels * plane; i++) img[i] = clamp(factor * img[i] + blend);
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }
}
