package org.medmamba.data.dicom;

/**
 * The VOI linear window of PS3.3 C.11.2.1.2.1 mapping modality values to [0, 1]:
 * x ≤ c − 0.5 − (w − 1)/2 → 0; x > c − 0.5 + (w − 1)/2 → 1;
 * else ((x − (c − 0.5)) / (w − 1) + 0.5).
 */
public record Window(double center, double width) {
    public Window {
        if (!(width >= 1)) throw new IllegalArgumentException("window width must be >= 1, got " + width);
    }

    public float apply(double x) {
        double lo = center - 0.5 - (width - 1) / 2, hi = center - 0.5 + (width - 1) / 2;
        if (x <= lo) return 0f;
        if (x > hi) return 1f;
        return (float) ((x - (center - 0.5)) / (width - 1) + 0.5);
    }
}
