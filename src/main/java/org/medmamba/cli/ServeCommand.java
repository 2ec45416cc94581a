package org.medmamba.cli;

import org.medmamba.io.SettingException;
import org.medmamba.kernels.Parallel;
import org.medmamba.serve.InferenceServer;
import org.medmamba.serve.ServeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code medmamba serve}: flags onto {@link ServeSettings} and {@link InferenceServer}; SIGTERM/SIGINT drain and exit 0. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve model bundles over HTTP (docs/serving.md):",
                "  POST /v1/models/NAME/predict   an image, or multipart/form-data",
                "  GET  /v1/models, /healthz, /readyz, /metrics, /openapi.json",
                "SIGTERM: stop accepting, finish in-flight requests, exit 0."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "[NAME=]M.mmb",
            description = "A bundle to serve, repeatable; NAME defaults to the file name without .mmb.")
    List<String> models;

    @Option(names = "--host", description = "Address to bind (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host = ServeSettings.DEFAULT_HOST;

    @Option(names = "--port", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = 8080;

    @Option(names = "--max-batch", paramLabel = "N", description = "Most images per forward pass (default ${DEFAULT-VALUE}).")
    int maxBatch = 16;

    @Option(names = "--max-wait-ms", paramLabel = "MS", description = "Longest the first image of a batch waits for more (default ${DEFAULT-VALUE}).")
    int maxWaitMs = 5;

    @Option(names = "--queue", paramLabel = "N", description = "Most images queued or running per model; beyond, 429 with Retry-After (default ${DEFAULT-VALUE}).")
    int queue = 256;

    @Option(names = "--max-body-mb", paramLabel = "MB", description = "Largest request body; larger is refused with 413 before it is read (default ${DEFAULT-VALUE}).")
    int maxBodyMb = 64;

    @Option(names = "--token-file", paramLabel = "F", description = "Bearer tokens, one per line (ID:TOKEN or TOKEN); /v1 routes then need one.")
    Path tokenFile;

    @Option(names = "--tls-keystore", paramLabel = "KS", description = "PKCS#12 keystore: serve HTTPS only.")
    Path tlsKeystore;

    @Option(names = "--tls-password-file", paramLabel = "F", description = "File holding the keystore password (first line).")
    Path tlsPasswordFile;

    @Option(names = "--audit-log", paramLabel = "F", description = "Append one JSON line per model request (no pixels, no file names, no DICOM tags).")
    Path auditLog;

    @Option(names = "--drain-seconds", paramLabel = "S", description = "On SIGTERM, longest wait for in-flight requests (default ${DEFAULT-VALUE}).")
    int drainSeconds = 30;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException, InterruptedException {
        Parallel.setThreads(threads.threads);
        Map<String, Path> named = new LinkedHashMap<>();
        for (String m : models) {
            int eq = m.indexOf('=');
            Path p = Path.of(eq > 0 ? m.substring(eq + 1) : m);
            String name = eq > 0 ? m.substring(0, eq) : p.getFileName().toString().replaceFirst("\\.mmb$", "");
            if (named.put(name, p) != null) throw new SettingException("model", "name '" + name + "' given twice");
        }
        String password = null;
        if (tlsPasswordFile != null) {
            List<String> lines = Files.readAllLines(tlsPasswordFile, StandardCharsets.UTF_8);
            password = lines.isEmpty() ? "" : lines.getFirst();
        }
        ServeSettings s = new ServeSettings(named, host, port, maxBatch, maxWaitMs, queue, (long) maxBodyMb << 20, tokenFile,
                tlsKeystore, password, auditLog, Duration.ofSeconds(drainSeconds));
        CountDownLatch stop = new CountDownLatch(1);
        // our own handlers, not a shutdown hook: a hook cannot make the exit status 0
        for (String sig : new String[]{"TERM", "INT"}) sun.misc.Signal.handle(new sun.misc.Signal(sig), x -> stop.countDown());
        try (InferenceServer server = InferenceServer.start(s)) {
            System.err.println("medmamba: serving " + String.join(", ", named.keySet()) + " on "
                    + (tlsKeystore != null ? "https" : "http") + "://" + host + ":" + server.port() + " (ready)");
            stop.await();
            System.err.println("medmamba: stopping: finishing in-flight requests (at most " + drainSeconds + " s)");
            server.drainAndStop();
        }
        System.err.println("medmamba: stopped");
        return 0;
    }
}
