package org.medmamba.data.image;

/**
 * Bilinear resampling taps for one axis, as PIL's (and torchvision's antialias=True) resize computes
 * them: a triangle filter widened by the shrink factor, so shrinking averages every source pixel
 * instead of skipping some (aliasing); when enlarging it is plain bilinear with half-pixel centres
 * (align_corners=False) and edge clamping. Taps never leave [start, start + length) — the crop box.
 *
 * <p>Output pixel i reads source pixels first[i] … first[i] + count[i] − 1 with weights
 * w[i·maxTaps + t], which sum to 1.
 */
final class AxisWeights {
    final int[] first, count;
    final float[] w;
    final int maxTaps;

    private AxisWeights(int[] first, int[] count, float[] w, int maxTaps) {
        this.first = first;
        this.count = count;
        this.w = w;
        this.maxTaps = maxTaps;
    }

    /** Maps [start, start + length) of the source (fractional crops allowed) onto out pixels. */
    static AxisWeights of(double start, double length, int limit, int out) {
        double scale = length / out;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale; // triangle support 1, widened when shrinking
        int maxTaps = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[out], count = new int[out];
        float[] w = new float[out * maxTaps];
        int lo = Math.max(0, (int) Math.floor(start)), hi = Math.min(limit, (int) Math.ceil(start + length));
        double[] tmp = new double[maxTaps];
        for (int i = 0; i < out; i++) {
            double center = start + (i + 0.5) * scale;
            int xmin = Math.max((int) Math.floor(center - support + 0.5), lo);
            int xmax = Math.min((int) Math.floor(center + support + 0.5), hi);
            if (xmax <= xmin) { // degenerate (sub-pixel crop): nearest source pixel
                xmin = Math.min(Math.max((int) Math.floor(center), lo), hi - 1);
                xmax = xmin + 1;
            }
            int n = Math.min(xmax - xmin, maxTaps);
            double total = 0;
            for (int t = 0; t < n; t++) {
                double d = Math.abs((xmin + t + 0.5 - center) / filterScale);
                tmp[t] = d < 1 ? 1 - d : 0;
                total += tmp[t];
            }
            if (total == 0) { tmp[0] = 1; total = 1; n = Math.max(n, 1); }
            first[i] = xmin;
            count[i] = n;
            for (int t = 0; t < n; t++) w[i * maxTaps + t] = (float) (tmp[t] / total);
        }
        return new AxisWeights(first, count, w, maxTaps);
    }
}
