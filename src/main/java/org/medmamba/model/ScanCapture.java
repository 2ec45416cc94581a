package org.medmamba.model;

/**
 * What one SS2D block's selective scan was given and gave back in one forward pass, for
 * explanations that read the scan itself (the hidden attention of the S6 recurrence). Layouts
 * are those of {@link org.medmamba.kernels.SelectiveScan} with groups = the four directions:
 * u, delta and y (batch, 4·channels, length) — u the cross-scanned input in scan order, delta
 * before its bias and softplus, y the scan kernel's output per direction before the cross-merge;
 * a (4·channels, state) = A itself (negative); b, c (batch, 4, length, state); dSkip and
 * deltaBias (4·channels). Direction k visits grid cell
 * {@link org.medmamba.kernels.CrossScan#gridIndex}(k, l, height, width) at step l.
 */
public record ScanCapture(int batch, int height, int width, int channels, int state,
                          float[] u, float[] delta, float[] a, float[] b, float[] c, float[] dSkip, float[] deltaBias, float[] y) {
    public ScanCapture {
        int l = height * width, kd = 4 * channels;
        if (batch < 1 || l < 1 || channels < 1 || state < 1) throw new IllegalArgumentException("bad scan capture sizes");
        check("u", u, (long) batch * kd * l);
        check("delta", delta, (long) batch * kd * l);
        check("y", y, (long) batch * kd * l);
        check("a", a, (long) kd * state);
        check("b", b, (long) batch * 4 * l * state);
        check("c", c, (long) batch * 4 * l * state);
        check("dSkip", dSkip, kd);
        check("deltaBias", deltaBias, kd);
    }

    private static void check(String name, float[] v, long n) {
        if (v.length != n) throw new IllegalArgumentException("scan capture: " + name + " has " + v.length + " values, expected " + n);
    }

    public int length() {
        return height * width;
    }
}
