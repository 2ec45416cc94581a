package org.medmamba.bench;

import java.util.Arrays;
import java.util.Random;

import org.medmamba.kernels.Kernels;
import org.medmamba.kernels.Parallel;
import org.medmamba.kernels.SelectiveScan;

/**
 * Times {@link SelectiveScan} implementations on MedMamba-sized inputs. Run with
 * {@code java --add-modules jdk.incubator.vector -cp target/classes org.medmamba.bench.ScanBenchmark}
 * (threads: -Dmedmamba.threads=N).
 */
public final class ScanBenchmark {
    private ScanBenchmark() {}

    /**
     * Median wall time in ms of {forward, backward} over {@code repeats} runs after {@code warmup} runs, on fixed
     * random inputs, as training runs them: the forward saves what the kernel offers, the backward starts from it.
     */
    public static double[] time(SelectiveScan s, SelectiveScan.Dims d, int warmup, int repeats) {
        return run(s, d, warmup, repeats, true);
    }

    /** Median forward time only (for the slow reference, whose backward is not worth waiting for). */
    public static double timeForward(SelectiveScan s, SelectiveScan.Dims d, int warmup, int repeats) {
        return run(s, d, warmup, repeats, false)[0];
    }

    private static double[] run(SelectiveScan s, SelectiveScan.Dims d, int warmup, int repeats, boolean withBackward) {
        Random r = new Random(42);
        int D = d.totalChannels(), N = d.state(), bdl = d.batch() * D * d.length();
        int bgln = d.batch() * d.groups() * d.length() * N;
        float[] u = gauss(r, bdl, 1, 0), delta = gauss(r, bdl, 1, -2), a = new float[D * N];
        for (int i = 0; i < D; i++)
            for (int n = 0; n < N; n++) a[i * N + n] = -(n + 1);
        float[] b = gauss(r, bgln, 1, 0), c = gauss(r, bgln, 1, 0), skip = gauss(r, D, 0, 1), bias = gauss(r, D, 0.5, -3);
        float[] dy = gauss(r, bdl, 1, 0), y = new float[bdl];
        float[] du = new float[bdl], dDelta = new float[bdl], dA = new float[D * N], dB = new float[bgln], dC = new float[bgln];
        float[] dD = new float[D], dBias = new float[D];
        double[] fw = new double[repeats], bw = new double[repeats];
        float[] saved = withBackward && s.savedFloats(d) > 0 ? new float[Math.toIntExact(s.savedFloats(d))] : null;
        for (int i = -warmup; i < repeats; i++) {
            long t0 = System.nanoTime();
            s.forward(d, u, delta, a, b, c, skip, bias, y, saved);
            long t1 = System.nanoTime();
            if (withBackward) s.backward(d, u, delta, a, b, c, skip, bias, dy, du, dDelta, dA, dB, dC, dD, dBias, saved);
            long t2 = System.nanoTime();
            if (i >= 0) {
                fw[i] = (t1 - t0) / 1e6;
                bw[i] = (t2 - t1) / 1e6;
            }
        }
        return new double[]{median(fw), median(bw)};
    }

    private static float[] gauss(Random r, int n, double sd, double mean) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (mean + sd * r.nextGaussian());
        return x;
    }

    private static double median(double[] x) {
        if (x.length == 0) return Double.NaN;
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static void main(String[] args) {
        SelectiveScan.Dims d = new SelectiveScan.Dims(8, 4, 96, 3136, 16);
        System.out.printf("selective scan B=%d groups=%d channels=%d L=%d N=%d, threads=%d, kernels=%s%n",
                d.batch(), d.groups(), d.channels(), d.length(), d.state(), Parallel.threads(),
                Kernels.provider().description());
        double[] v = time(Kernels.selectiveScan(), d, 5, 11);
        System.out.printf("in use    forward %8.1f ms   backward %8.1f ms   (median of 11)%n", v[0], v[1]);
        double ref = timeForward(Kernels.reference().selectiveScan(), d, 1, 3);
        System.out.printf("reference forward %8.1f ms   (median of 3, single-threaded double)%n", ref);
        System.out.printf("forward speed-up  %8.1fx%n", ref / v[0]);
    }
}
