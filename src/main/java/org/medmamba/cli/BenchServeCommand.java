package org.medmamba.cli;

import org.medmamba.serve.LoadGenerator;
import org.medmamba.serve.ServeBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code medmamba bench serve}: flags onto {@link ServeBenchmark}; the server runs as a child JVM like this one. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Load-test ./medmamba serve on loopback (docs/serving.md): Tiny@224, random weights,",
                "a real 224x224 PNG; against bench inference --batch 16 in the same invocation.",
                "Reports images/s, p50/p99, 5xx, dropped connections, the server's peak RSS;",
                "then 10 %% malformed bodies; then SIGTERM during load. Exit 1 unless all pass."})
public final class BenchServeCommand implements Callable<Integer> {
    @Option(names = "--connections", description = "Concurrent connections (default ${DEFAULT-VALUE}).")
    int connections = 200;

    @Option(names = "--seconds", description = "Length of the main load run (default ${DEFAULT-VALUE}).")
    double seconds = 60;

    @Option(names = "--warm-seconds", description = "Warm-up load with a tenth of the connections (default ${DEFAULT-VALUE}).")
    double warmSeconds = 10;

    @Option(names = "--malformed-seconds", description = "Run with 10 %% malformed bodies (default ${DEFAULT-VALUE}).")
    double malformedSeconds = 20;

    @Option(names = "--sigterm-seconds", description = "Load run with SIGTERM at half time (default ${DEFAULT-VALUE}).")
    double sigtermSeconds = 10;

    @Option(names = "--image", description = "The image posted, resized to 224x224 (default ${DEFAULT-VALUE}).")
    Path image = Path.of("src/test/resources/fixtures/images/skimage/retina.jpg");

    @Option(names = "--max-batch", description = "Server --max-batch (default ${DEFAULT-VALUE}).")
    int maxBatch = 16;

    @Option(names = "--max-wait-ms", description = "Server --max-wait-ms (default ${DEFAULT-VALUE}).")
    int maxWaitMs = 5;

    @Option(names = "--queue", description = "Server --queue (default ${DEFAULT-VALUE}).")
    int queue = 256;

    @Option(names = "--server-heap", description = "Server -Xmx (default ${DEFAULT-VALUE}).")
    String serverHeap = "1g";

    @Option(names = "--repeats", description = "Timed runs of each bench inference (default ${DEFAULT-VALUE}).")
    int repeats = 5;

    @Option(names = "--out", description = "Folder for the bundle, the PNG and server.log (default ${DEFAULT-VALUE}).")
    Path out = Path.of("target/bench-serve");

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(image)) throw new IllegalArgumentException("--image " + image + ": no such file");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (!a.startsWith("-Xmx") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")) cmd.add(a);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        var s = new ServeBenchmark.Settings(cmd, out, image, connections, seconds, warmSeconds, malformedSeconds, sigtermSeconds,
                maxBatch, maxWaitMs, queue, threads.threads, repeats, serverHeap);
        ServeBenchmark.Result r = ServeBenchmark.run(s, line -> Log.progress("  " + line));
        print(r, s);
        // after SIGTERM, 503 "shutting down" is the designed answer to new requests; any other 5xx or a drop is a failure
        long term5xxNot503 = r.sigterm().status5xx() - r.sigterm().byStatus()[503];
        boolean pass = r.load().status5xx() == 0 && r.load().dropped() == 0 && r.malformed().wrong() == 0 && r.malformed().dropped() == 0
                && r.malformed().status5xx() == 0 && r.sigterm().dropped() == 0 && term5xxNot503 == 0
                && r.sigterm().spanning() == r.sigterm().spanningOk() && r.exitCode() == 0;
        System.out.println(pass ? "PASS: no 5xx, no dropped connection, malformed → 400 only, in-flight completed at SIGTERM, exit 0"
                : "FAIL: see the rows above");
        return pass ? 0 : 1;
    }

    static void print(ServeBenchmark.Result r, ServeBenchmark.Settings s) {
        System.out.printf(Locale.ROOT, "MedMamba-tiny 224x224 served on loopback, %d threads, --max-batch %d --max-wait-ms %d --queue %d%n",
                s.threads(), s.maxBatch(), s.maxWaitMs(), s.queue());
        System.out.printf(Locale.ROOT, "  bench inference --batch 16   before %8.2f images/s (%.0f ms/batch)   after %8.2f images/s (%.0f ms/batch)%n",
                r.before().imagesPerS(), r.before().msPerBatch(), r.after().imagesPerS(), r.after().msPerBatch());
        row("warm-up (" + r.connectionsWarm() + " conn)", r.warm());
        row("load (" + s.connections() + " conn)", r.load());
        row("10 % malformed", r.malformed());
        row("SIGTERM at half time", r.sigterm());
        System.out.printf(Locale.ROOT, "  served / bench inference: %.0f %%%n", 100 * r.ratio());
        System.out.printf(Locale.ROOT, "  server peak RSS (VmHWM): %d MB after warm-up, %d MB after load, %d MB after malformed (VmRSS %d MB)%n",
                r.afterWarm().peakKb() >> 10, r.afterLoad().peakKb() >> 10, r.afterMalformed().peakKb() >> 10, r.afterMalformed().rssKb() >> 10);
        System.out.printf(Locale.ROOT, "  SIGTERM: exit code %d, %.1f s after the signal; %d requests in flight at the signal, %d of them answered 200%n",
                r.exitCode(), r.stopSeconds(), r.sigterm().spanning(), r.sigterm().spanningOk());
        StringBuilder st = new StringBuilder();
        for (int i = 0; i < r.sigterm().byStatus().length; i++) if (r.sigterm().byStatus()[i] > 0) st.append(' ').append(i).append('×').append(r.sigterm().byStatus()[i]);
        System.out.println("  SIGTERM run answers by status:" + st);
        System.out.println("--- /metrics after the malformed run ---");
        System.out.print(r.metrics());
    }

    private static void row(String name, LoadGenerator.Report x) {
        System.out.printf(Locale.ROOT, "  %-24s %8.2f images/s   p50 %7.1f ms   p99 %7.1f ms   ok %7d   malformed→400 %6d   other %4d   5xx %d   dropped %d   refused %d%n",
                name, x.imagesPerS(), x.percentileMs(.5), x.percentileMs(.99), x.ok(), x.badOk(), x.wrong(), x.status5xx(), x.dropped(), x.refused());
    }
}
