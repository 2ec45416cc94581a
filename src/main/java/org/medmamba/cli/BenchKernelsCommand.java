package org.medmamba.cli;

import org.medmamba.bench.KernelsBenchmark;
import org.medmamba.bench.KernelsBenchmark.ConvRow;
import org.medmamba.bench.KernelsBenchmark.GemmRow;
import org.medmamba.bench.KernelsBenchmark.ScanRow;
import org.medmamba.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;

/** {@code medmamba bench kernels}: flags onto {@link KernelsBenchmark}, a table or JSON. */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "Benchmark the compute kernels: sgemm, conv2d, depthwise conv, selective scan.")
public final class BenchKernelsCommand implements Runnable {
    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Option(names = "--repeats", description = "Timed repeats per measurement (median reported; default ${DEFAULT-VALUE}).")
    int repeats = 10;

    @Override
    public void run() {
        KernelsBenchmark.Report r = KernelsBenchmark.run(threads.threads, repeats, line -> { if (!json) Log.progress("  " + line); });
        System.out.println(json ? toJson(r.gemm(), r.conv(), r.scan()) : toTable(r.gemm(), r.conv(), r.scan()));
    }

    private String toJson(List<GemmRow> gemm, List<ConvRow> conv, List<ScanRow> scan) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"threads\": ").append(threads.threads).append(", \"gemm\": [");
        for (int i = 0; i < gemm.size(); i++) {
            GemmRow r = gemm.get(i);
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "{\"m\": %d, \"n\": %d, \"k\": %d, \"gflops\": %.2f}", r.m(), r.n(), r.k(), r.gflops()));
        }
        sb.append("], \"conv\": [");
        for (int i = 0; i < conv.size(); i++) {
            ConvRow r = conv.get(i);
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "{\"name\": \"%s\", \"fwd_ms\": %.3f, \"bwd_ms\": %.3f}", r.name(), r.fwdMs(), r.bwdMs()));
        }
        sb.append("], \"scan\": [");
        for (int i = 0; i < scan.size(); i++) {
            ScanRow r = scan.get(i);
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT,
                    "{\"b\": %d, \"d\": %d, \"l\": %d, \"n\": %d, \"fwd_ms\": %.3f, \"bwd_ms\": %.3f, \"ref_fwd_ms\": %.3f}",
                    r.b(), r.d(), r.l(), r.n(), r.fwdMs(), r.bwdMs(), r.refFwdMs()));
        }
        return sb.append("]}").toString();
    }

    private String toTable(List<GemmRow> gemm, List<ConvRow> conv, List<ScanRow> scan) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "threads: %d%nkernels: %s%n%nsgemm%n", threads.threads, Kernels.provider().description()));
        for (GemmRow r : gemm) sb.append(String.format(Locale.ROOT, "  %5d x %5d x %5d   %8.1f GFLOP/s%n", r.m(), r.n(), r.k(), r.gflops()));
        sb.append(String.format("%nconvolution (forward / backward = input + weight grads)%n"));
        for (ConvRow r : conv) sb.append(String.format(Locale.ROOT, "  %-30s  fwd %8.2f ms   bwd %8.2f ms%n", r.name(), r.fwdMs(), r.bwdMs()));
        sb.append(String.format("%nselective scan (fused Vector API vs plain reference)%n"));
        for (ScanRow r : scan) sb.append(String.format(Locale.ROOT,
                "  B=%d D=%d L=%d N=%d   fwd %8.2f ms   bwd %8.2f ms   reference fwd %9.2f ms   speed-up %.1fx%n",
                r.b(), r.d(), r.l(), r.n(), r.fwdMs(), r.bwdMs(), r.refFwdMs(), r.refFwdMs() / r.fwdMs()));
        return sb.toString();
    }
}
