package org.medmamba.serve;

import org.medmamba.bench.InferenceBenchmark;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;

import javax.imageio.ImageIO;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code ./medmamba bench serve}: the service under load, against the plain forward pass, in one
 * invocation. The server is a child process (so its peak RSS, VmHWM, is its own) serving a
 * random-weight Tiny@224 bundle (weights do not change the work); a real 224×224 PNG is posted by
 * {@link LoadGenerator}. Order: bench inference, load, bench inference again (the machine's speed
 * can drift), then the malformed-body run, then SIGTERM during load.
 */
public final class ServeBenchmark {
    private ServeBenchmark() {}

    /**
     * @param serverCommand how to start {@code medmamba} in a child JVM (java, flags, class path, main class)
     * @param image         a real image, resized here to 224×224 PNG
     */
    public record Settings(List<String> serverCommand, Path workDir, Path image, int connections, double seconds,
                           double warmSeconds, double malformedSeconds, double sigtermSeconds, int maxBatch, int maxWaitMs,
                           int queue, int threads, int benchRepeats, String serverHeap) {
        public Settings {
            serverCommand = List.copyOf(serverCommand);
            if (connections < 1) throw new IllegalArgumentException("connections must be >= 1");
            if (!(seconds > 0)) throw new IllegalArgumentException("seconds must be > 0");
        }
    }

    /** One bench-inference measurement (batch 16, median of repeats). */
    public record Bench(double imagesPerS, double msPerBatch) {}

    /** The server's memory from /proc: peak (VmHWM) and current (VmRSS), kB. */
    public record Memory(long peakKb, long rssKb) {}

    public record Result(Bench before, Bench after, LoadGenerator.Report warm, Memory afterWarm, LoadGenerator.Report load,
                         Memory afterLoad, LoadGenerator.Report malformed, Memory afterMalformed, String metrics,
                         LoadGenerator.Report sigterm, int exitCode, double stopSeconds, int connectionsWarm) {
        /** Load throughput over the mean of the two bench-inference runs. */
        public double ratio() {
            return load.imagesPerS() / ((before.imagesPerS() + after.imagesPerS()) / 2);
        }
    }

    public static Result run(Settings s, Consumer<String> progress) throws IOException, InterruptedException {
        Files.createDirectories(s.workDir());
        Path model = s.workDir().resolve("tiny224.mmb");
        MedMambaConfig cfg = MedMambaConfig.variant("tiny", 6, 3);
        new ModelBundle(cfg, List.of("c0", "c1", "c2", "c3", "c4", "c5"), 224, 224, new float[]{0.485f, 0.456f, 0.406f},
                new float[]{0.229f, 0.224f, 0.225f}, Map.of("source", "bench serve: random weights"), new MedMamba(cfg, 0).stateDict()).save(model);
        byte[] png = png224(s.image());
        Files.write(s.workDir().resolve("input224.png"), png);
        byte[] malformed = Arrays.copyOf(png, Math.min(png.length, 200));   // a PNG cut off inside its data: 400
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(s.serverCommand());
        cmd.add(1, "-Xmx" + s.serverHeap());
        cmd.addAll(List.of("serve", "--model", "tiny=" + model, "--port", Integer.toString(port), "--max-batch", Integer.toString(s.maxBatch()),
                "--max-wait-ms", Integer.toString(s.maxWaitMs()), "--queue", Integer.toString(s.queue()), "--threads", Integer.toString(s.threads())));
        Path log = s.workDir().resolve("server.log");
        progress.accept("server: " + String.join(" ", cmd.subList(cmd.indexOf("serve"), cmd.size())) + " (log " + log + ")");
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitReady(port, server);
            var plan = (java.util.function.BiFunction<Double, Integer, LoadGenerator.Plan>) (secs, conns) -> new LoadGenerator.Plan(
                    "127.0.0.1", port, "/v1/models/tiny/predict", "image/png", png, null, 0, conns, secs);
            progress.accept("bench inference --batch 16 (before)");
            Bench before = bench(s);
            int warmConns = Math.max(1, s.connections() / 10);
            progress.accept("warm-up load: " + warmConns + " connections, " + s.warmSeconds() + " s");
            LoadGenerator.Report warm = LoadGenerator.run(plan.apply(s.warmSeconds(), warmConns), null);
            Memory m1 = memory(server.pid());
            progress.accept("  " + warm.line());
            progress.accept("load: " + s.connections() + " connections, " + s.seconds() + " s");
            LoadGenerator.Report load = LoadGenerator.run(plan.apply(s.seconds(), s.connections()), null);
            Memory m2 = memory(server.pid());
            progress.accept("  " + load.line());
            progress.accept("bench inference --batch 16 (after)");
            Bench after = bench(s);
            progress.accept("malformed: 10 % truncated PNGs, " + s.connections() + " connections, " + s.malformedSeconds() + " s");
            LoadGenerator.Report bad = LoadGenerator.run(new LoadGenerator.Plan("127.0.0.1", port, "/v1/models/tiny/predict", "image/png", png,
                    malformed, 0.10, s.connections(), s.malformedSeconds()), null);
            Memory m3 = memory(server.pid());
            progress.accept("  " + bad.line());
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            progress.accept("SIGTERM at half of " + s.sigtermSeconds() + " s of load");
            long[] stopAt = new long[1], exitAt = new long[1];
            Thread[] watcher = new Thread[1];
            LoadGenerator.Report term = LoadGenerator.run(plan.apply(s.sigtermSeconds(), s.connections()), () -> {
                stopAt[0] = System.nanoTime();
                server.toHandle().destroy();   // SIGTERM
                watcher[0] = Thread.ofVirtual().start(() -> {
                    try {
                        server.waitFor();
                        exitAt[0] = System.nanoTime();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            });
            boolean exited = server.waitFor(120, TimeUnit.SECONDS);
            if (watcher[0] != null) watcher[0].join(5000);
            double stopSecs = exited && exitAt[0] != 0 ? (exitAt[0] - stopAt[0]) / 1e9 : Double.NaN;
            int code = exited ? server.exitValue() : -1;
            progress.accept("  " + term.line() + "; exit " + code);
            return new Result(before, after, warm, m1, load, m2, bad, m3, metrics, term, code, stopSecs, warmConns);
        } finally {
            if (server.isAlive()) server.destroyForcibly();
        }
    }

    private static Bench bench(Settings s) {
        var r = InferenceBenchmark.run(new InferenceBenchmark.Settings("tiny", 224, 224, new int[]{16}, 6, 3, s.threads(), 2, s.benchRepeats()), x -> {}).getFirst();
        return new Bench(r.imagesPerS(), r.msPerBatch());
    }

    private static void awaitReady(int port, Process server) throws IOException, InterruptedException {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < end) {
            if (!server.isAlive()) throw new IOException("the server exited with " + server.exitValue() + " before it was ready; see server.log");
            try {
                if (c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IOException("the server was not ready after 180 s");
    }

    /** VmHWM and VmRSS of a process, from /proc (Linux); -1 where unavailable. */
    static Memory memory(long pid) {
        long hwm = -1, rss = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmHWM:")) hwm = Long.parseLong(l.replaceAll("\\D+", ""));
                if (l.startsWith("VmRSS:")) rss = Long.parseLong(l.replaceAll("\\D+", ""));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: reported as -1
        }
        return new Memory(hwm, rss);
    }

    /** The image scaled (bilinear) to 224×224 RGB, as PNG bytes. */
    static byte[] png224(Path image) throws IOException {
        BufferedImage src;
        try (InputStream in = Files.newInputStream(image)) {
            src = ImageIO.read(in);
        }
        if (src == null) throw new IOException(image + ": not an image ImageIO can read");
        BufferedImage dst = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        var g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, 224, 224, null);
        g.dispose();
        var out = new java.io.ByteArrayOutputStream();
        ImageIO.write(dst, "png", out);
        return out.toByteArray();
    }
}
