package org.medmamba.cli;

import org.medmamba.bench.ConvBenchmark;
import org.medmamba.bench.GemmBenchmark;
import org.medmamba.bench.ScanBenchmark;
import org.medmamba.kernels.Conv2d;
import org.medmamba.kernels.Kernels;
import org.medmamba.kernels.Parallel;
import org.medmamba.kernels.SelectiveScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code medmamba bench kernels}: SGEMM GFLOP/s, conv forward/backward time and the fused
 * selective scan against its plain reference, at the network's shapes.
 */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "Benchmark the compute kernels: sgemm, conv2d, depthwise conv, selective scan.")
public final class BenchKernelsCommand implements Runnable {
    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--threads", description = "Worker threads (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--repeats", description = "Timed repeats per measurement (median reported; default ${DEFAULT-VALUE}).")
    int repeats = 10;

    record GemmRow(int m, int n, int k, double gflops) {}
    record ConvRow(String name, double fwdMs, double bwdMs) {}
    record ScanRow(int b, int d, int l, int n, double fwdMs, double bwdMs, double refFwdMs) {}

    @Override
    public void run() {
        Parallel.setThreads(threads);
        List<GemmRow> gemm = new ArrayList<>();
        int[][] shapes = {{1024, 1024, 1024}, {3136, 384, 96}, {3136, 96, 384}, {784, 768, 192}};
        for (int[] s : shapes) {
            progress("sgemm %dx%dx%d", s[0], s[1], s[2]);
            gemm.add(new GemmRow(s[0], s[1], s[2], GemmBenchmark.gflops(Kernels.gemm(), s[0], s[1], s[2], 15, repeats)));
        }
        List<ConvRow> conv = new ArrayList<>();
        progress("conv2d 3x3");
        double[] c3 = ConvBenchmark.time(Kernels.conv2d(), new Conv2d.Geometry(8, 48, 56, 56, 48, 3, 3, 1, 1, 1), 3, repeats);
        conv.add(new ConvRow("conv3x3 B=8 C=48->48 56x56", c3[0], c3[1]));
        progress("depthwise 3x3");
        double[] dw = ConvBenchmark.time(Kernels.conv2d(), new Conv2d.Geometry(8, 96, 56, 56, 96, 3, 3, 1, 1, 96), 3, repeats);
        conv.add(new ConvRow("depthwise3x3 B=8 C=96 56x56", dw[0], dw[1]));
        progress("selective scan");
        SelectiveScan.Dims dims = new SelectiveScan.Dims(8, 4, 96, 3136, 16);
        double[] sc = ScanBenchmark.time(Kernels.selectiveScan(), dims, 2, Math.max(3, repeats / 2));
        progress("selective scan (plain reference)");
        double ref = ScanBenchmark.timeForward(Kernels.reference().selectiveScan(), dims, 1, 3);
        List<ScanRow> scan = List.of(new ScanRow(8, 4 * 96, 3136, 16, sc[0], sc[1], ref));
        System.out.println(json ? toJson(gemm, conv, scan) : toTable(gemm, conv, scan));
    }

    private void progress(String fmt, Object... args) {
        if (!json) System.err.printf("  measuring " + fmt + " ...%n", args);
    }

    private String toJson(List<GemmRow> gemm, List<ConvRow> conv, List<ScanRow> scan) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"threads\": ").append(threads).append(", \"gemm\": [");
        for (int i = 0; i < gemm.size(); i++) {
            GemmRow r = gemm.get(i);
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "{\"m\": %d, \"n\": %d, \"k\": %d, \"gflops\": %.2f}", r.m, r.n, r.k, r.gflops));
        }
        sb.append("], \"conv\": [");
        for (int i = 0; i < conv.size(); i++) {
            ConvRow r = conv.get(i);
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "{\"name\": \"%s\", \"fwd_ms\": %.3f, \"bwd_ms\": %.3f}", r.name, r.fwdMs, r.bwdMs));
        }
        sb.append("], \"scan\": [");
        for (int i = 0; i < scan.size(); i++) {
            ScanRow r = scan.get(i);
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT,
                    "{\"b\": %d, \"d\": %d, \"l\": %d, \"n\": %d, \"fwd_ms\": %.3f, \"bwd_ms\": %.3f, \"ref_fwd_ms\": %.3f}",
                    r.b, r.d, r.l, r.n, r.fwdMs, r.bwdMs, r.refFwdMs));
        }
        return sb.append("]}").toString();
    }

    private String toTable(List<GemmRow> gemm, List<ConvRow> conv, List<ScanRow> scan) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "threads: %d%n%nsgemm%n", threads));
        for (GemmRow r : gemm) sb.append(String.format(Locale.ROOT, "  %5d x %5d x %5d   %8.1f GFLOP/s%n", r.m, r.n, r.k, r.gflops));
        sb.append(String.format("%nconvolution (forward / backward = input + weight grads)%n"));
        for (ConvRow r : conv) sb.append(String.format(Locale.ROOT, "  %-30s  fwd %8.2f ms   bwd %8.2f ms%n", r.name, r.fwdMs, r.bwdMs));
        sb.append(String.format("%nselective scan (fused Vector API vs plain reference)%n"));
        for (ScanRow r : scan) sb.append(String.format(Locale.ROOT,
                "  B=%d D=%d L=%d N=%d   fwd %8.2f ms   bwd %8.2f ms   reference fwd %9.2f ms   speed-up %.1fx%n",
                r.b, r.d, r.l, r.n, r.fwdMs, r.bwdMs, r.refFwdMs, r.refFwdMs / r.fwdMs));
        return sb.toString();
    }
}
