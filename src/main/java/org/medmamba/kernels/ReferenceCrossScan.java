package org.medmamba.kernels;

import java.util.Arrays;

/** Plain-Java {@link CrossScan}: the formula as written, in double, one channel at a time. */
final class ReferenceCrossScan implements CrossScan {
    @Override
    public void forward(Dims dims, float[] u, float[] xdbl, float[] wdt, float[] deltaBias, float[] a, float[] dSkip, float[] y) {
        int B = dims.batch(), H = dims.height(), W = dims.width(), D = dims.channels(), R = dims.rank(), N = dims.state();
        int L = dims.length(), XD = dims.rowWidth();
        double[] acc = new double[B * L * D];
        double[] h = new double[N];
        for (int b = 0; b < B; b++)
            for (int k = 0; k < 4; k++)
                for (int d = 0; d < D; d++) {
                    int e = k * D + d;
                    Arrays.fill(h, 0);
                    for (int l = 0; l < L; l++) {
                        int p = b * L + CrossScan.gridIndex(k, l, H, W);
                        int row = p * XD + k * (R + 2 * N);
                        double v = deltaBias[e];
                        for (int r = 0; r < R; r++) v += (double) wdt[e * R + r] * xdbl[row + r];
                        double delta = v > 20 ? v : Math.log1p(Math.exp(v));
                        double uu = u[p * D + d], out = dSkip[e] * uu;
                        for (int n = 0; n < N; n++) {
                            h[n] = Math.exp(delta * a[e * N + n]) * h[n] + delta * uu * xdbl[row + R + n];
                            out += h[n] * xdbl[row + R + N + n];
                        }
                        acc[p * D + d] += out;
                    }
                }
        for (int i = 0; i < acc.length; i++) y[i] = (float) acc[i];
    }
}
