package org.medmamba.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.medmamba.kernels.SelectiveScan.Dims;

class SelectiveScanTest {

    /** One set of scan inputs in double (the float kernels get them rounded). */
    static final class Inputs {
        final Dims dims;
        final double[] u, delta, a, b, c, skip, bias, dy;

        Inputs(Dims dims, long seed, boolean extremes) {
            this.dims = dims;
            Random r = new Random(seed);
            int D = dims.totalChannels(), N = dims.state(), BDL = dims.batch() * D * dims.length();
            int BGLN = dims.batch() * dims.groups() * dims.length() * N;
            u = gauss(r, BDL, 1, 0);
            delta = gauss(r, BDL, 1, -2);
            a = new double[D * N];
            for (int d = 0; d < D; d++)
                for (int n = 0; n < N; n++) a[d * N + n] = -Math.exp(Math.log(n + 1) + 0.1 * r.nextGaussian());
            b = gauss(r, BGLN, 1, 0);
            c = gauss(r, BGLN, 1, 0);
            skip = gauss(r, D, 1, 1);
            bias = gauss(r, D, 0.5, -1);
            dy = gauss(r, BDL, 1, 0);
            if (extremes) {
                // Far above the softplus threshold and far below (Δ ≈ e^v ≈ 0: state just carries).
                for (int i = 0; i < BDL; i++) {
                    int k = r.nextInt(10);
                    if (k == 0) delta[i] = 24 + 10 * r.nextDouble();
                    else if (k == 1) delta[i] = -15 - 80 * r.nextDouble();
                }
            }
        }

        float[] f(double[] x) {
            float[] r = new float[x.length];
            for (int i = 0; i < x.length; i++) r[i] = (float) x[i];
            return r;
        }

        /** The same inputs rounded to float, then widened again: what the float kernels see. */
        Inputs rounded() {
            Inputs r = new Inputs(dims, 0, false);
            copy(u, r.u); copy(delta, r.delta); copy(a, r.a); copy(b, r.b); copy(c, r.c);
            copy(skip, r.skip); copy(bias, r.bias); copy(dy, r.dy);
            return r;
        }

        private static void copy(double[] s, double[] d) {
            for (int i = 0; i < s.length; i++) d[i] = (float) s[i];
        }

        private static double[] gauss(Random r, int n, double sd, double mean) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = mean + sd * r.nextGaussian();
            return x;
        }
    }

    /** Independent of the reference: Δ and the decays computed per step up front, state indexed [n]. */
    static double[] naiveForward(Inputs in) {
        Dims dm = in.dims;
        int G = dm.groups(), C = dm.channels(), L = dm.length(), N = dm.state(), D = dm.totalChannels();
        double[] y = new double[dm.batch() * D * L];
        for (int bi = 0; bi < dm.batch(); bi++)
            for (int g = 0; g < G; g++)
                for (int ch = 0; ch < C; ch++) {
                    int d = g * C + ch;
                    double[] h = new double[N];
                    for (int l = 0; l < L; l++) {
                        double v = in.delta[(bi * D + d) * L + l] + in.bias[d];
                        double dt = v > 20 ? v : Math.log(1 + Math.exp(v));
                        double x = in.u[(bi * D + d) * L + l];
                        double out = 0;
                        for (int n = 0; n < N; n++) {
                            double bv = in.b[(((bi * G + g) * L) + l) * N + n];
                            double cv = in.c[(((bi * G + g) * L) + l) * N + n];
                            h[n] = h[n] * Math.exp(dt * in.a[d * N + n]) + dt * bv * x;
                            out += cv * h[n];
                        }
                        y[(bi * D + d) * L + l] = out + in.skip[d] * x;
                    }
                }
        return y;
    }

    private static double[] refForward(Inputs in) {
        double[] y = new double[in.dims.batch() * in.dims.totalChannels() * in.dims.length()];
        ReferenceSelectiveScan.forwardDouble(in.dims, in.u, in.delta, in.a, in.b, in.c, in.skip, in.bias, y);
        return y;
    }

    private static double loss(Inputs in) {
        double[] y = refForward(in);
        double s = 0;
        for (int i = 0; i < y.length; i++) s += y[i] * in.dy[i];
        return s;
    }

    /** Gradients of the reference in double: [du, dDelta, dA, dB, dC, dD, dDeltaBias]. */
    private static double[][] refBackward(Inputs in) {
        double[][] g = {new double[in.u.length], new double[in.delta.length], new double[in.a.length],
                new double[in.b.length], new double[in.c.length], new double[in.skip.length], new double[in.bias.length]};
        ReferenceSelectiveScan.backwardDouble(in.dims, in.u, in.delta, in.a, in.b, in.c, in.skip, in.bias, in.dy,
                g[0], g[1], g[2], g[3], g[4], g[5], g[6]);
        return g;
    }

    private static final String[] NAMES = {"du", "dDelta", "dA", "dB", "dC", "dD", "dDeltaBias"};

    private static double[][] params(Inputs in) {
        return new double[][]{in.u, in.delta, in.a, in.b, in.c, in.skip, in.bias};
    }

    static Stream<Dims> smallDims() {
        return Stream.of(new Dims(1, 1, 1, 1, 1), new Dims(2, 2, 3, 6, 4), new Dims(1, 3, 2, 9, 5), new Dims(3, 1, 4, 4, 2));
    }

    @ParameterizedTest
    @MethodSource("smallDims")
    void referenceForwardMatchesNaiveLoop(Dims dims) {
        for (boolean ext : new boolean[]{false, true}) {
            Inputs in = new Inputs(dims, 11 + dims.hashCode(), ext);
            double[] y = refForward(in), z = naiveForward(in);
            for (int i = 0; i < y.length; i++) assertEquals(z[i], y[i], 1e-12 * (1 + Math.abs(z[i])));
        }
    }

    @ParameterizedTest
    @MethodSource("smallDims")
    void referenceBackwardMatchesFiniteDifferences(Dims dims) {
        for (boolean ext : new boolean[]{false, true}) {
            Inputs in = new Inputs(dims, 5 + dims.hashCode(), ext);
            double[][] grads = refBackward(in);
            double[][] ps = params(in);
            double eps = 1e-6;
            for (int p = 0; p < ps.length; p++) {
                double[] x = ps[p];
                double scale = 1e-3;
                for (double v : grads[p]) scale = Math.max(scale, Math.abs(v));
                for (int i = 0; i < x.length; i++) {
                    double old = x[i];
                    // Keep delta + bias off the softplus threshold, where the function has a tiny kink.
                    x[i] = old + eps;
                    double up = loss(in);
                    x[i] = old - eps;
                    double dn = loss(in);
                    x[i] = old;
                    double fd = (up - dn) / (2 * eps);
                    assertEquals(fd, grads[p][i], 1e-6 * scale, NAMES[p] + "[" + i + "] " + dims + " extremes=" + ext);
                }
            }
        }
    }

    static Stream<Dims> kernelDims() {
        return Stream.of(
                new Dims(1, 1, 7, 1, 16), new Dims(2, 1, 7, 7, 5), new Dims(1, 4, 33, 63, 16),
                new Dims(3, 1, 35, 64, 5), new Dims(2, 4, 7, 65, 16), new Dims(1, 1, 97, 97, 16),
                new Dims(2, 4, 35, 200, 5), new Dims(3, 2, 33, 200, 16), new Dims(1, 1, 16, 129, 1),
                new Dims(2, 4, 32, 128, 16));
    }

    @ParameterizedTest
    @MethodSource("kernelDims")
    void vectorMatchesReference(Dims dims) {
        Inputs in = new Inputs(dims, 1000 + dims.hashCode(), true).rounded();
        float[][] got = runVector(in);
        double[] yRef = refForward(in);
        assertClose("y", yRef, got[0], 1e-5, dims);
        double[][] ref = refBackward(in);
        for (int p = 0; p < ref.length; p++) assertClose(NAMES[p], ref[p], got[p + 1], 1e-4, dims);
    }

    /** Backward from the forward's saved chunk states gives the same bits as backward recomputing them. */
    @ParameterizedTest
    @MethodSource("kernelDims")
    void savedForwardStatesGiveTheSameGradients(Dims dims) {
        Inputs in = new Inputs(dims, 2000 + dims.hashCode(), true);
        float[][] plain = runVector(in, false), saved = runVector(in, true);
        for (int i = 0; i < plain.length; i++) assertArrayEquals(plain[i], saved[i], "output " + i + " at " + dims);
        SelectiveScan s = new VectorSelectiveScan();
        assertEquals((long) dims.batch() * dims.groups() * ((dims.channels() + VectorSelectiveScan.V - 1) / VectorSelectiveScan.V)
                * ((dims.length() + VectorSelectiveScan.T - 1) / VectorSelectiveScan.T) * dims.state() * VectorSelectiveScan.V, s.savedFloats(dims));
        assertEquals(0, new ReferenceSelectiveScan().savedFloats(dims));
    }

    @Test
    void savedStateTooSmallIsRefused() {
        Dims dims = new Dims(1, 1, 7, 65, 4);
        SelectiveScan s = new VectorSelectiveScan();
        float[] x = new float[7 * 65], small = new float[(int) s.savedFloats(dims) - 1];
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.forward(dims, x, x, new float[28], new float[260], new float[260], new float[7], new float[7], new float[x.length], small));
        assertTrue(e.getMessage().contains("saved state"), e.getMessage());
        var e2 = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.backward(dims, x, x, new float[28], new float[260], new float[260], new float[7], new float[7], x,
                        new float[x.length], new float[x.length], new float[28], new float[260], new float[260], new float[7], new float[7], small));
        assertTrue(e2.getMessage().contains("saved state"), e2.getMessage());
    }

    /** Backward really starts from what it is given: a changed chunk-start state changes the gradients. */
    @Test
    void backwardReadsTheSavedStates() {
        Dims dims = new Dims(1, 1, 16, 129, 4);
        Inputs in = new Inputs(dims, 31, false);
        SelectiveScan s = new VectorSelectiveScan();
        float[] u = in.f(in.u), delta = in.f(in.delta), a = in.f(in.a), b = in.f(in.b), c = in.f(in.c);
        float[] skip = in.f(in.skip), bias = in.f(in.bias), y = new float[u.length];
        float[] saved = new float[(int) s.savedFloats(dims)];
        s.forward(dims, u, delta, a, b, c, skip, bias, y, saved);
        float[][] honest = backwardWith(s, in, saved.clone()), altered;
        int chunk1 = 4 * VectorSelectiveScan.V;   // chunk 1's start state (N·V floats per chunk, one block)
        for (int i = chunk1; i < 2 * chunk1; i++) saved[i] += 1f;
        altered = backwardWith(s, in, saved);
        assertTrue(!java.util.Arrays.equals(honest[0], altered[0]), "dC ignores the saved states");
    }

    private static float[][] backwardWith(SelectiveScan s, Inputs in, float[] saved) {
        float[] u = in.f(in.u);
        float[] du = new float[u.length], dDelta = new float[u.length], dA = new float[in.a.length], dB = new float[in.b.length], dC = new float[in.c.length];
        float[] dD = new float[in.skip.length], dBias = new float[in.bias.length];
        s.backward(in.dims, u, in.f(in.delta), in.f(in.a), in.f(in.b), in.f(in.c), in.f(in.skip), in.f(in.bias), in.f(in.dy),
                du, dDelta, dA, dB, dC, dD, dBias, saved);
        return new float[][]{dC, dB, du};
    }

    @Test
    void vectorIsDeterministicAcrossThreadCounts() {
        Dims dims = new Dims(3, 2, 35, 150, 16);
        Inputs in = new Inputs(dims, 77, true);
        int old = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = runVector(in);
            Parallel.setThreads(2);
            float[][] two = runVector(in);
            for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], two[i], "output " + i);
        } finally {
            Parallel.setThreads(old);
        }
    }

    @Test
    void polynomialExpAndLog1pAreAccurate() {
        int v = VectorSelectiveScan.species().length();
        float[] x = new float[v], out = new float[v];
        Random r = new Random(3);
        for (int it = 0; it < 2000; it++) {
            for (int i = 0; i < v; i++) x[i] = (float) (it % 2 == 0 ? -100 + 189 * r.nextDouble() : -3 * r.nextDouble());
            System.arraycopy(x, 0, out, 0, v);
            VectorMath.expInPlace(out, 0, v);
            for (int i = 0; i < v; i++) {
                double e = (float) Math.exp(x[i]);
                assertTrue(Math.abs(out[i] - e) <= 3e-7 * e || Float.isInfinite(out[i]) && e > Float.MAX_VALUE * 0.99, "exp(" + x[i] + ") = " + out[i]);
            }
            for (int i = 0; i < v; i++) x[i] = it == 0 && i == 0 ? 0f : it == 0 && i == 1 ? 1f : (float) Math.pow(r.nextDouble(), 1 + 20 * r.nextDouble());
            System.arraycopy(x, 0, out, 0, v);
            VectorMath.log1pUnitInPlace(out, 0, v);
            for (int i = 0; i < v; i++) {
                double e = Math.log1p(x[i]);
                assertTrue(Math.abs(out[i] - e) <= 3e-7 * e, "log1p(" + x[i] + ") = " + out[i]);
            }
        }
    }

    @Test
    void fusedDecaysMatchExp() {
        int v = VectorSelectiveScan.species().length(), tl = 7, n = 5;
        Random r = new Random(9);
        float[] dl = new float[tl * v], at = new float[n * v], at2 = new float[n * v], out = new float[tl * n * v];
        for (int i = 0; i < dl.length; i++) dl[i] = (float) Math.exp(4 * r.nextGaussian() - 2);
        for (int i = 0; i < at.length; i++) {
            at[i] = (float) -Math.exp(2 * r.nextDouble());
            at2[i] = at[i] * 1.44269504088896341f;   // the kernel takes A·log2(e)
        }
        VectorSelectiveScan.decays(dl, tl, at2, 0, n, out);
        for (int t = 0; t < tl; t++)
            for (int k = 0; k < n; k++)
                for (int lane = 0; lane < v; lane++) {
                    float got = out[(t * n + k) * v + lane];
                    // the polynomial: 2^v of the float exponent v the kernel forms, clamped at −125
                    float x2 = Math.max(dl[t * v + lane] * at2[k * v + lane], -125f);
                    double e2 = Math.pow(2, x2);
                    assertTrue(Math.abs(got - e2) <= 2e-7 * e2, "2^" + x2 + " = " + got);
                    // against exp(Δ·A) itself: also the rounding of Δ·A·log2(e), ≈ 1.2e-7·|v| relative
                    double x = (double) dl[t * v + lane] * at[k * v + lane];
                    if (x < -86) continue;
                    double e = Math.exp(x);
                    assertTrue(Math.abs(got - e) <= (2e-7 + 1.5e-7 * Math.abs(x)) * e, "exp(" + x + ") = " + got);
                }
    }

    /** Runs the vector kernel forward and backward on the float-rounded inputs: [y, du, dDelta, dA, dB, dC, dD, dDeltaBias]. */
    private static float[][] runVector(Inputs in) {
        return runVector(in, false);
    }

    /** As {@link #runVector(Inputs)}; with {@code save}, backward starts from the states the forward saved. */
    private static float[][] runVector(Inputs in, boolean save) {
        SelectiveScan s = new VectorSelectiveScan();
        float[] saved = save ? nan((int) s.savedFloats(in.dims)) : null;
        float[] u = in.f(in.u), delta = in.f(in.delta), a = in.f(in.a), b = in.f(in.b), c = in.f(in.c);
        float[] skip = in.f(in.skip), bias = in.f(in.bias), dy = in.f(in.dy);
        float[] y = new float[u.length];
        s.forward(in.dims, u, delta, a, b, c, skip, bias, y, saved);
        // Gradient buffers start as garbage: the kernel must overwrite, not accumulate.
        float[][] g = {y, nan(u.length), nan(u.length), nan(a.length), nan(b.length), nan(c.length), nan(skip.length), nan(bias.length)};
        s.backward(in.dims, u, delta, a, b, c, skip, bias, dy, g[1], g[2], g[3], g[4], g[5], g[6], g[7], saved);
        return g;
    }

    private static float[] nan(int n) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, Float.NaN);
        return x;
    }

    private static void assertClose(String name, double[] ref, float[] got, double tol, Dims dims) {
        double max = 0, err = 0;
        int worst = -1;
        for (int i = 0; i < ref.length; i++) {
            max = Math.max(max, Math.abs(ref[i]));
            double e = Math.abs(ref[i] - got[i]);
            if (!(e <= err)) {
                err = e;
                worst = i;
            }
        }
        double rel = err / Math.max(max, 1e-30);
        assertTrue(rel <= tol, name + " " + dims + ": max err " + err + " at " + worst + " (ref " +
                (worst >= 0 ? ref[worst] : 0) + ", got " + (worst >= 0 ? got[worst] : 0) + "), max |ref| " + max + ", rel " + rel);
    }
}
