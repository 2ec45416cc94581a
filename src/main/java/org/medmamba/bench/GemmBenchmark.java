package org.medmamba.bench;

import java.util.Arrays;
import java.util.Random;

import org.medmamba.kernels.Gemm;
import org.medmamba.kernels.Kernels;
import org.medmamba.kernels.Parallel;

/** Median-of-runs GFLOP/s measurement for {@link Gemm} implementations. */
public final class GemmBenchmark {
    private GemmBenchmark() {}

    /** Median GFLOP/s (2·m·n·k / seconds) over {@code repeats} timed calls after {@code warmup} untimed ones. */
    public static double gflops(Gemm g, int m, int n, int k, int warmup, int repeats) {
        return gflops(g, false, false, m, n, k, warmup, repeats);
    }

    /** As {@link #gflops(Gemm, int, int, int, int, int)} for op(A)·op(B) with the given transposes. */
    public static double gflops(Gemm g, boolean transA, boolean transB, int m, int n, int k, int warmup, int repeats) {
        if (repeats < 1) throw new IllegalArgumentException("repeats must be >= 1");
        int lda = transA ? m : k, ldb = transB ? k : n;
        Random rnd = new Random(42);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
        for (int w = 0; w < warmup; w++) g.sgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        long[] ns = new long[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            g.sgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
            ns[r] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        long med = repeats % 2 == 1 ? ns[repeats / 2] : (ns[repeats / 2 - 1] + ns[repeats / 2]) / 2;
        return 2.0 * m * n * k / Math.max(1, med);
    }

    /** Prints GFLOP/s for the model's typical shapes, or for the shapes given as m n k triples. */
    public static void main(String[] args) {
        Gemm g = Kernels.gemm();
        int[][] shapes = {{1024, 1024, 1024}, {3136, 384, 96}, {3136, 96, 384}, {784, 768, 192}, {48, 3136, 432}};
        if (args.length >= 3) {
            shapes = new int[args.length / 3][];
            for (int i = 0; i < shapes.length; i++)
                shapes[i] = new int[] {Integer.parseInt(args[3 * i]), Integer.parseInt(args[3 * i + 1]), Integer.parseInt(args[3 * i + 2])};
        }
        System.out.printf("threads=%d kernels=%s%n", Parallel.threads(), Kernels.provider().description());
        for (int[] s : shapes) {
            double flop = 2.0 * s[0] * s[1] * s[2];
            // Enough repeats for a stable median within a few seconds per shape; small shapes need many
            // untimed calls before C2 has compiled the hot paths.
            int repeats = (int) Math.max(11, Math.min(201, 2e10 / flop));
            int warmup = (int) Math.max(repeats, Math.min(50_000, 2e10 / flop));
            double gf = gflops(g, s[0], s[1], s[2], warmup, repeats);
            System.out.printf("%5d x %5d x %5d : %7.1f GFLOP/s%n", s[0], s[1], s[2], gf);
        }
    }
}
