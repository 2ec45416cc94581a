package org.medmamba.kernels;

/**
 * Plain {@link SelectiveScan}: the obvious loops, computed in double and stored as float. Tests
 * compare the fast kernel against it. The double-precision entry points ({@link #forwardDouble},
 * {@link #backwardDouble}) are public so gradient checks can take finite differences in double.
 * The backward pass keeps the whole state history of one (batch, channel) row, O(L·N) doubles:
 * fine for a reference, which is never used on the training path.
 */
final class ReferenceSelectiveScan implements SelectiveScan {

    /** softplus with the threshold of the spec: v > 20 ? v : log1p(exp(v)). */
    public static double softplus(double v) {
        return v > 20 ? v : Math.log1p(Math.exp(v));
    }

    /** d softplus / dv, consistent with the threshold (slope 1 above 20). */
    public static double softplusGrad(double v) {
        return v > 20 ? 1 : 1 / (1 + Math.exp(-v));
    }

    @Override
    public void forward(Dims dims, float[] u, float[] delta, float[] a, float[] b, float[] c,
                        float[] dSkip, float[] deltaBias, float[] y) {
        double[] yd = new double[y.length];
        forwardDouble(dims, d(u), d(delta), d(a), d(b), d(c), d(dSkip), d(deltaBias), yd);
        for (int i = 0; i < y.length; i++) y[i] = (float) yd[i];
    }

    @Override
    public void backward(Dims dims, float[] u, float[] delta, float[] a, float[] b, float[] c,
                         float[] dSkip, float[] deltaBias, float[] dy,
                         float[] du, float[] dDelta, float[] dA, float[] dB, float[] dC,
                         float[] dDSkip, float[] dDeltaBias) {
        double[] duD = new double[du.length], ddD = new double[dDelta.length], dAD = new double[dA.length];
        double[] dBD = new double[dB.length], dCD = new double[dC.length];
        double[] dSD = new double[dDSkip.length], dbD = new double[dDeltaBias.length];
        backwardDouble(dims, d(u), d(delta), d(a), d(b), d(c), d(dSkip), d(deltaBias), d(dy),
                duD, ddD, dAD, dBD, dCD, dSD, dbD);
        f(duD, du); f(ddD, dDelta); f(dAD, dA); f(dBD, dB); f(dCD, dC); f(dSD, dDSkip); f(dbD, dDeltaBias);
    }

    /** The forward pass in double; same layouts as {@link SelectiveScan#forward}. */
    public static void forwardDouble(Dims dims, double[] u, double[] delta, double[] a, double[] b, double[] c,
                                     double[] dSkip, double[] deltaBias, double[] y) {
        int G = dims.groups(), C = dims.channels(), L = dims.length(), N = dims.state(), D = dims.totalChannels();
        double[] h = new double[N];
        for (int bi = 0; bi < dims.batch(); bi++) {
            for (int d = 0; d < D; d++) {
                int g = d / C;
                java.util.Arrays.fill(h, 0);
                for (int l = 0; l < L; l++) {
                    int row = (bi * D + d) * L + l;
                    int bc = ((bi * G + g) * L + l) * N;
                    double dt = softplus(delta[row] + deltaBias[d]);
                    double s = dSkip[d] * u[row];
                    for (int n = 0; n < N; n++) {
                        h[n] = Math.exp(dt * a[d * N + n]) * h[n] + dt * u[row] * b[bc + n];
                        s += h[n] * c[bc + n];
                    }
                    y[row] = s;
                }
            }
        }
    }

    /**
     * The backward pass in double: the adjoint recurrence run from l = L−1 down to 0 over the
     * stored states. Gradient arrays are overwritten.
     */
    public static void backwardDouble(Dims dims, double[] u, double[] delta, double[] a, double[] b, double[] c,
                                      double[] dSkip, double[] deltaBias, double[] dy,
                                      double[] du, double[] dDelta, double[] dA, double[] dB, double[] dC,
                                      double[] dDSkip, double[] dDeltaBias) {
        int G = dims.groups(), C = dims.channels(), L = dims.length(), N = dims.state(), D = dims.totalChannels();
        java.util.Arrays.fill(dA, 0);
        java.util.Arrays.fill(dB, 0);
        java.util.Arrays.fill(dC, 0);
        java.util.Arrays.fill(dDSkip, 0);
        java.util.Arrays.fill(dDeltaBias, 0);
        double[] hs = new double[(L + 1) * N];   // hs[(l+1)·N + n] = h after step l; hs[0..N) = 0
        double[] dt = new double[L];
        double[] dh = new double[N];
        for (int bi = 0; bi < dims.batch(); bi++) {
            for (int d = 0; d < D; d++) {
                int g = d / C;
                for (int l = 0; l < L; l++) {
                    int row = (bi * D + d) * L + l;
                    int bc = ((bi * G + g) * L + l) * N;
                    dt[l] = softplus(delta[row] + deltaBias[d]);
                    for (int n = 0; n < N; n++)
                        hs[(l + 1) * N + n] = Math.exp(dt[l] * a[d * N + n]) * hs[l * N + n] + dt[l] * u[row] * b[bc + n];
                }
                java.util.Arrays.fill(dh, 0);
                for (int l = L - 1; l >= 0; l--) {
                    int row = (bi * D + d) * L + l;
                    int bc = ((bi * G + g) * L + l) * N;
                    double g0 = dy[row], ul = u[row];
                    dDSkip[d] += g0 * ul;
                    double dul = g0 * dSkip[d];
                    double ddt = 0;
                    for (int n = 0; n < N; n++) {
                        dh[n] += g0 * c[bc + n];                    // dh = dL/dh_l
                        dC[bc + n] += g0 * hs[(l + 1) * N + n];
                        double hp = hs[l * N + n];
                        double an = Math.exp(dt[l] * a[d * N + n]);
                        dA[d * N + n] += dh[n] * hp * an * dt[l];
                        ddt += dh[n] * (hp * an * a[d * N + n] + ul * b[bc + n]);
                        dul += dh[n] * dt[l] * b[bc + n];
                        dB[bc + n] += dh[n] * dt[l] * ul;
                        dh[n] *= an;                                 // becomes the carry into h_{l-1}
                    }
                    du[row] = dul;
                    double dd = ddt * softplusGrad(delta[row] + deltaBias[d]);
                    dDelta[row] = dd;
                    dDeltaBias[d] += dd;
                }
            }
        }
    }

    private static double[] d(float[] x) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = x[i];
        return r;
    }

    private static void f(double[] x, float[] out) {
        for (int i = 0; i < x.length; i++) out[i] = (float) x[i];
    }
}
