package org.medmamba.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.bundle.ModelBundle;
import org.medmamba.model.MedMamba;
import org.medmamba.model.MedMambaConfig;
import org.medmamba.testing.Shared;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** {@code serve} as a process: flags, one-line errors, and SIGTERM while a request is in flight → it completes, exit 0. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void badSettingsAreOneLineNamingTheFlag() {
        CliTest.Run r = CliTest.run("serve", "--model", "x.mmb", "--max-batch", "16", "--queue", "4");
        assertEquals(1, r.code());
        assertEquals("medmamba: --queue must be >= --max-batch (16), got 4", r.err().strip());
        assertEquals(0, CliTest.run("serve", "--help").code());
    }

    /** Polls /metrics until the model's queue holds an image: the request is then surely in flight. */
    static void awaitQueued(int port) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        long end = System.nanoTime() + 60_000_000_000L;
        while (!c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body().contains("medmamba_queue_depth_images{model=\"m\"} 1")) {
            assertTrue(System.nanoTime() < end, "no request reached the queue");
            Thread.sleep(10);
        }
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishAndExitsZero() throws Exception {
        MedMambaConfig tiny = new MedMambaConfig(new int[]{1, 1, 1, 1}, new int[]{8, 16, 32, 64}, 4, 2, 1, 0f);
        Path model = dir.resolve("m.mmb");
        new ModelBundle(tiny, List.of("a", "b"), 32, 32, new float[]{0.5f}, new float[]{0.25f}, Map.of(), new MedMamba(tiny, 1).stateDict()).save(model);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--model", model.toString(), "--port", "0", "--max-wait-ms", "5000", "--threads", "1")
                .redirectErrorStream(true).start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern ready = Pattern.compile("serving m on http://127\\.0\\.0\\.1:(\\d+) \\(ready\\)");
            int port = -1;
            StringBuilder seen = new StringBuilder();
            for (String line; port < 0 && (line = log.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = ready.matcher(line);
                if (m.find()) port = Integer.parseInt(m.group(1));
            }
            assertTrue(port > 0, seen.toString());
            byte[] png = Files.readAllBytes(Shared.fixture("images/itk/BrainT1Slice.png"));
            URI uri = URI.create("http://127.0.0.1:" + port + "/v1/models/m/predict");
            CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
            awaitQueued(port);   // the request now waits in the batcher (up to 5 s)
            p.toHandle().destroy();   // SIGTERM (Process.destroy would also close our end of its output)
            HttpResponse<String> r = inFlight.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits within the drain deadline");
            String rest = String.join("\n", log.lines().toList());
            assertEquals(0, p.exitValue(), rest);
            assertTrue(rest.contains("medmamba: stopped"), rest);
        } finally {
            p.destroyForcibly();
        }
    }
}
