package org.medmamba.bench;

import org.medmamba.kernels.Conv2d;
import org.medmamba.kernels.Kernels;
import org.medmamba.kernels.Parallel;
import org.medmamba.kernels.SelectiveScan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * SGEMM GFLOP/s, conv forward/backward time and the fused selective scan against its plain
 * reference, at the network's shapes, on the kernels {@link Kernels} chose.
 */
public final class KernelsBenchmark {
    private KernelsBenchmark() {}

    public record GemmRow(int m, int n, int k, double gflops) {}

    public record ConvRow(String name, double fwdMs, double bwdMs) {}

    public record ScanRow(int b, int d, int l, int n, double fwdMs, double bwdMs, double refFwdMs) {}

    public record Report(int threads, List<GemmRow> gemm, List<ConvRow> conv, List<ScanRow> scan) {}

    /** {@code progress} gets a line as each measurement starts. */
    public static Report run(int threads, int repeats, Consumer<String> progress) {
        Checks.positive("threads", threads);
        Checks.positive("repeats", repeats);
        Parallel.setThreads(threads);
        List<GemmRow> gemm = new ArrayList<>();
        int[][] shapes = {{1024, 1024, 1024}, {3136, 384, 96}, {3136, 96, 384}, {784, 768, 192}};
        for (int[] s : shapes) {
            progress.accept("measuring sgemm " + s[0] + "x" + s[1] + "x" + s[2] + " ...");
            gemm.add(new GemmRow(s[0], s[1], s[2], GemmBenchmark.gflops(Kernels.gemm(), s[0], s[1], s[2], 15, repeats)));
        }
        List<ConvRow> conv = new ArrayList<>();
        progress.accept("measuring conv2d 3x3 ...");
        double[] c3 = ConvBenchmark.time(Kernels.conv2d(), new Conv2d.Geometry(8, 48, 56, 56, 48, 3, 3, 1, 1, 1), 3, repeats);
        conv.add(new ConvRow("conv3x3 B=8 C=48->48 56x56", c3[0], c3[1]));
        progress.accept("measuring depthwise 3x3 ...");
        double[] dw = ConvBenchmark.time(Kernels.conv2d(), new Conv2d.Geometry(8, 96, 56, 56, 96, 3, 3, 1, 1, 96), 3, repeats);
        conv.add(new ConvRow("depthwise3x3 B=8 C=96 56x56", dw[0], dw[1]));
        progress.accept("measuring selective scan ...");
        SelectiveScan.Dims dims = new SelectiveScan.Dims(8, 4, 96, 3136, 16);
        double[] sc = ScanBenchmark.time(Kernels.selectiveScan(), dims, 2, Math.max(3, repeats / 2));
        progress.accept("measuring selective scan (plain reference) ...");
        double ref = ScanBenchmark.timeForward(Kernels.reference().selectiveScan(), dims, 1, 3);
        return new Report(threads, gemm, conv, List.of(new ScanRow(8, 4 * 96, 3136, 16, sc[0], sc[1], ref)));
    }
}
