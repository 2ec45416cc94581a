package org.medmamba.autograd;

import org.medmamba.kernels.CrossScan;
import org.medmamba.kernels.Parallel;
import org.medmamba.tensor.Shape;
import org.medmamba.tensor.Tensor;

/**
 * The layout moves around SS2D's four-direction scan (VMamba's cross-scan and cross-merge), each
 * as one pass over memory instead of a chain of transposes, flips and concatenations.
 * Directions over an H×W grid, L = H·W: k=0 row-major (l = h·W + w), k=1 column-major
 * (l = w·H + h), k=2 and k=3 their reverses.
 */
public final class CrossScanOps {
    private CrossScanOps() {}

    /** u (B, D, H, W) → the four sequences (B, 4, D, L). */
    public static Var crossScan(Var u) {
        int[] s = u.shape();
        if (s.length != 4) throw new IllegalArgumentException("crossScan expects (B, D, H, W), got " + Shape.str(s));
        int b = s[0], d = s[1], h = s[2], w = s[3], l = h * w;
        float[] x = u.value().data();
        float[] out = new float[4 * x.length];
        int[][] map = maps(h, w);
        Parallel.range(b * d, 8, (st, en) -> {
            for (int bd = st; bd < en; bd++) {
                int bi = bd / d, di = bd % d, src = bd * l;
                for (int k = 0; k < 4; k++) {
                    int dst = ((bi * 4 + k) * d + di) * l;
                    int[] m = map[k];
                    for (int i = 0; i < l; i++) out[dst + i] = x[src + m[i]];
                }
            }
        });
        return Var.result(Tensor.of(out, b, 4, d, l), g -> {
            float[] gd = g.data(), dx = new float[x.length];
            Parallel.range(b * d, 8, (st, en) -> {
                for (int bd = st; bd < en; bd++) {
                    int bi = bd / d, di = bd % d, dst = bd * l;
                    for (int k = 0; k < 4; k++) {
                        int src = ((bi * 4 + k) * d + di) * l;
                        int[] m = map[k];
                        for (int i = 0; i < l; i++) dx[dst + m[i]] += gd[src + i];
                    }
                }
            });
            u.accumulate(Tensor.of(dx, s));
        }, u);
    }

    /** y (B, 4, D, L) → Σ_k y_k placed back on the grid, channels-last (B, H, W, D). */
    public static Var crossMerge(Var y, int h, int w) {
        int[] s = y.shape();
        if (s.length != 4 || s[1] != 4 || s[3] != h * w)
            throw new IllegalArgumentException("crossMerge expects (B, 4, D, " + h * w + "), got " + Shape.str(s));
        int b = s[0], d = s[2], l = h * w;
        float[] yd = y.value().data();
        float[] out = new float[b * l * d];
        int[][] inv = inverseMaps(h, w);
        Parallel.range(b * d, 8, (st, en) -> {
            for (int bd = st; bd < en; bd++) {
                int bi = bd / d, di = bd % d;
                int o = bi * l * d + di;
                int y0 = (bi * 4 * d + di) * l, y1 = y0 + d * l, y2 = y1 + d * l, y3 = y2 + d * l;
                int[] m1 = inv[1], m2 = inv[2], m3 = inv[3];
                for (int p = 0; p < l; p++)
                    out[o + p * d] = yd[y0 + p] + yd[y1 + m1[p]] + yd[y2 + m2[p]] + yd[y3 + m3[p]];
            }
        });
        return Var.result(Tensor.of(out, b, h, w, d), g -> {
            float[] gd = g.data(), dy = new float[yd.length];
            Parallel.range(b * d, 8, (st, en) -> {
                for (int bd = st; bd < en; bd++) {
                    int bi = bd / d, di = bd % d;
                    int o = bi * l * d + di;
                    for (int k = 0; k < 4; k++) {
                        int base = ((bi * 4 + k) * d + di) * l;
                        int[] m = inv[k];
                        for (int p = 0; p < l; p++) dy[base + m[p]] = gd[o + p * d];
                    }
                }
            });
            y.accumulate(Tensor.of(dy, s));
        }, y);
    }

    /** map[k][l] = grid position of step l. */
    private static int[][] maps(int h, int w) {
        int[][] m = new int[4][h * w];
        for (int k = 0; k < 4; k++) for (int l = 0; l < h * w; l++) m[k][l] = CrossScan.gridIndex(k, l, h, w);
        return m;
    }

    /** inv[k][p] = step of direction k at grid position p. */
    private static int[][] inverseMaps(int h, int w) {
        int[][] m = maps(h, w), inv = new int[4][h * w];
        for (int k = 0; k < 4; k++) for (int l = 0; l < h * w; l++) inv[k][m[k][l]] = l;
        return inv;
    }
}
