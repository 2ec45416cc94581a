package org.medmamba.bench;

import java.util.Arrays;
import java.util.Random;

import org.medmamba.kernels.Conv2d;
import org.medmamba.kernels.Kernels;
import org.medmamba.kernels.Parallel;

/**
 * Wall-clock timing of a {@link Conv2d} on one geometry.
 * Run: {@code java --add-modules jdk.incubator.vector -cp target/classes org.medmamba.bench.ConvBenchmark [warmup repeats]}.
 * Defaults: 10 warm-up runs (the depthwise kernels need several to be JIT-compiled), 11 timed.
 * Times the kernels {@link Kernels} selected.
 */
public final class ConvBenchmark {
    private ConvBenchmark() {}

    /** Median {forward ms, backward ms (backwardInput + backwardWeight)} over {@code repeats} timed runs. */
    public static double[] time(Conv2d conv, Conv2d.Geometry g, int warmup, int repeats) {
        if (repeats < 1) throw new IllegalArgumentException("repeats must be >= 1");
        Random r = new Random(42);
        float[] x = rand(r, g.batch() * g.inC() * g.h() * g.w());
        float[] w = rand(r, g.outC() * (g.inC() / g.groups()) * g.kh() * g.kw());
        float[] bias = rand(r, g.outC());
        int outSize = g.batch() * g.outC() * g.outH() * g.outW();
        float[] dy = rand(r, outSize), y = new float[outSize], dx = new float[x.length];
        float[] dw = new float[w.length], db = new float[g.outC()];
        double[] fwd = new double[repeats], bwd = new double[repeats];
        for (int i = -warmup; i < repeats; i++) {
            long t0 = System.nanoTime();
            conv.forward(g, x, w, bias, y);
            long t1 = System.nanoTime();
            conv.backwardInput(g, dy, w, dx);
            conv.backwardWeight(g, x, dy, dw, db);
            long t2 = System.nanoTime();
            if (i >= 0) {
                fwd[i] = (t1 - t0) / 1e6;
                bwd[i] = (t2 - t1) / 1e6;
            }
        }
        return new double[] {median(fwd), median(bwd)};
    }

    private static float[] rand(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() * 2 - 1;
        return a;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 11;
        Conv2d conv = Kernels.conv2d();
        System.out.printf("kernels=%s threads=%d warmup=%d repeats=%d%n",
                Kernels.provider().description(), Parallel.threads(), warmup, repeats);
        var dense = new Conv2d.Geometry(8, 48, 56, 56, 48, 3, 3, 1, 1, 1);
        var depthwise = new Conv2d.Geometry(8, 96, 56, 56, 96, 3, 3, 1, 1, 96);
        report("dense 3x3 B=8 C=48->48 56x56 pad1 bias", time(conv, dense, warmup, repeats));
        report("depthwise 3x3 B=8 C=96 56x56 pad1 bias", time(conv, depthwise, warmup, repeats));
    }

    private static void report(String name, double[] t) {
        System.out.printf("%-42s forward %9.2f ms   backward %9.2f ms   (median)%n", name, t[0], t[1]);
    }
}
