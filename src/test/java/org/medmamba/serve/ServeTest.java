package org.medmamba.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmamba.cli.CliTest;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.medmamba.serve.ServeFixtures.*;

/** The service end to end on loopback: same numbers as predict --json, every error code, audit log, slow clients. */
class ServeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "s3cret-token-for-tests-0123456789";

    @TempDir
    static Path dir;
    static Path model, dicom, audit, tokens;
    static InferenceServer server;

    @BeforeAll
    static void start() throws Exception {
        model = bundle(dir, "m", 7);
        dicom = dicomWithPatientName(dir);
        audit = dir.resolve("audit.jsonl");
        tokens = dir.resolve("tokens.txt");
        Files.writeString(tokens, "# test tokens\nradiology:" + TOKEN + "\n");
        ServeSettings d = settings(Map.of("m", model));
        server = InferenceServer.start(new ServeSettings(d.models(), d.host(), 0, d.maxBatch(), d.maxWaitMs(), d.queue(), 1 << 20,
                tokens, null, null, audit, d.drain()));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};

    static JsonNode predictJson(Path... files) {
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--json"));
        for (Path f : files) args.add(f.toString());
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        try {
            return JSON.readTree(r.out());
        } catch (Exception e) {
            throw new AssertionError(r.out(), e);
        }
    }

    /** HTTP entries carry the fields of predict --json (file is the upload's name) and equal its numbers. */
    static void assertSamePredictions(JsonNode cli, JsonNode http) {
        assertEquals(cli.size(), http.size(), http.toString());
        for (int i = 0; i < cli.size(); i++) {
            JsonNode c = cli.get(i), h = http.get(i);
            Set<String> cf = new HashSet<>(), hf = new HashSet<>();
            c.fieldNames().forEachRemaining(cf::add);
            h.fieldNames().forEachRemaining(hf::add);
            assertEquals(cf, hf, "same fields as predict --json");
            assertEquals(Path.of(c.get("file").asText()).getFileName().toString(), h.get("file").asText());
            assertEquals(c.path("frame").asInt(-1), h.path("frame").asInt(-1));
            assertEquals(c.get("class_index").asInt(), h.get("class_index").asInt());
            assertEquals(c.get("label").asText(), h.get("label").asText());
            for (int k = 0; k < c.get("probabilities").size(); k++)
                assertEquals(c.get("probabilities").get(k).asDouble(), h.get("probabilities").get(k).asDouble(), 1e-6);
        }
    }

    @Test
    void singleBodiesEqualPredictJsonForPngJpegAndMultiFrameDicom() throws Exception {
        for (Object[] c : new Object[][]{{PNG, "image/png"}, {JPEG, "image/jpeg"}, {dicom, "application/dicom"}, {PNG, null}}) {
            Path f = (Path) c[0];
            HttpResponse<String> r = post(server, "/v1/models/m/predict", (String) c[1], Files.readAllBytes(f), AUTH);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode o = JSON.readTree(r.body());
            assertEquals("m", o.get("model").asText());
            assertEquals(64, o.get("model_sha256").asText().length());
            assertEquals(r.headers().firstValue("X-Request-Id").orElseThrow(), o.get("request_id").asText());
            assertTrue(o.get("latency_ms").asDouble() >= 0);
            // predict names a file by its path, the service a raw body "body": compare through a copy named so
            Path copy = Files.copy(f, Files.createDirectories(dir.resolve("named-" + c.hashCode())).resolve("body"));
            assertSamePredictions(predictJson(copy), o.get("predictions"));
        }
        JsonNode frames = JSON.readTree(post(server, "/v1/models/m/predict", "application/dicom", Files.readAllBytes(dicom), AUTH).body()).get("predictions");
        assertEquals(10, frames.size(), "one result per frame");
        assertEquals(9, frames.get(9).get("frame").asInt());
    }

    @Test
    void multipartEqualsPredictJsonOnTheSameFiles() throws Exception {
        byte[] body = multipart(new Upload("BrainT1Slice.png", "image/png", Files.readAllBytes(PNG)),
                new Upload("retina.jpg", "image/jpeg", Files.readAllBytes(JPEG)),
                new Upload("scan.dcm", "application/dicom", Files.readAllBytes(dicom)));
        HttpResponse<String> r = post(server, "/v1/models/m/predict", "multipart/form-data; boundary=" + BOUNDARY, body, AUTH);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode http = JSON.readTree(r.body()).get("predictions");
        assertEquals(12, http.size());
        assertSamePredictions(predictJson(PNG, JPEG, dicom), http);
    }

    @Test
    void theAuditLogHasOneLinePerModelRequestAndNeverThePatientNameOrFileName() throws Exception {
        byte[] scan = Files.readAllBytes(dicom);
        assertTrue(new String(scan, StandardCharsets.ISO_8859_1).contains(PATIENT), "the fixture carries the name");
        String id = post(server, "/v1/models/m/predict", "application/dicom", scan, AUTH).headers().firstValue("X-Request-Id").orElseThrow();
        byte[] broken = java.util.Arrays.copyOf(scan, 3000);   // header with the name, pixel data cut off
        HttpResponse<String> bad = post(server, "/v1/models/m/predict", "multipart/form-data; boundary=" + BOUNDARY,
                multipart(new Upload(PATIENT + ".dcm", "application/dicom", broken)), AUTH);
        assertEquals(400, bad.statusCode(), bad.body());
        // the error names the upload by the client's own file name, never by what the DICOM header holds
        assertEquals(1, bad.body().split(Pattern.quote(PATIENT), -1).length - 1, bad.body());
        String log = Files.readString(audit);
        assertFalse(log.contains("DOE"), "no patient name in the audit log:\n" + log);
        assertFalse(log.contains(TOKEN), "never the token");
        JsonNode line = null;
        for (String l : log.lines().toList()) if (JSON.readTree(l).get("request_id").asText().equals(id)) line = JSON.readTree(l);
        assertNotNull(line, "the request has its line");
        assertEquals("radiology", line.get("token_id").asText());
        assertEquals("m", line.get("model").asText());
        assertEquals(200, line.get("status").asInt());
        assertEquals(java.util.HexFormat.of().formatHex(Tokens.sha256(scan)), line.get("input_sha256").asText());
        assertEquals(10, line.get("results").size());
        assertTrue(line.get("results").get(0).has("label") && line.get("results").get(0).has("probability"));
        assertEquals("127.0.0.1", line.get("client").asText());
        for (String l : log.lines().toList()) assertTrue(l.length() < 4000, "no pixel data: " + l.length());
    }

    @Test
    void errorCodes400_401_404_415() throws Exception {
        HttpResponse<String> r = post(server, "/v1/models/m/predict", "image/png", new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}, AUTH);
        assertEquals(400, r.statusCode());
        assertTrue(JSON.readTree(r.body()).get("error").asText().startsWith("body: "), r.body());
        assertEquals(400, post(server, "/v1/models/m/predict", "multipart/form-data; boundary=" + BOUNDARY, "--nothing".getBytes(), AUTH).statusCode());
        assertEquals(400, post(server, "/v1/models/m/predict", "multipart/form-data; boundary=" + BOUNDARY, multipart(), AUTH).statusCode());
        assertEquals(401, post(server, "/v1/models/m/predict", "image/png", Files.readAllBytes(PNG)).statusCode());
        HttpResponse<String> wrong = post(server, "/v1/models/m/predict", "image/png", Files.readAllBytes(PNG), "Authorization", "Bearer " + TOKEN + "x");
        assertEquals(401, wrong.statusCode());
        assertEquals("Bearer", wrong.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, get(server, "/v1/models", "Authorization", "Basic " + TOKEN).statusCode());
        assertEquals(401, post(server, "/v1/models/m/reload", null, new byte[0]).statusCode());
        assertEquals(404, post(server, "/v1/models/nope/predict", "image/png", Files.readAllBytes(PNG), AUTH).statusCode());
        HttpResponse<String> noRoute = get(server, "/v2/whatever");
        assertEquals(404, noRoute.statusCode());
        assertTrue(JSON.readTree(noRoute.body()).get("error").asText().startsWith("no route GET /v2/whatever"), noRoute.body());
        assertTrue(JSON.readTree(post(server, "/v1/models/nope/predict", "image/png", Files.readAllBytes(PNG), AUTH).body())
                .get("error").asText().startsWith("no model named 'nope'"));
        assertEquals(415, post(server, "/v1/models/m/predict", "text/plain", "hello".getBytes(), AUTH).statusCode());
        assertEquals(415, post(server, "/v1/models/m/predict", "application/octet-stream", "hello, not an image".getBytes(), AUTH).statusCode());
        assertEquals(415, post(server, "/v1/models/m/predict", "multipart/form-data; boundary=" + BOUNDARY,
                multipart(new Upload("a.txt", "text/plain", "x".getBytes())), AUTH).statusCode());
        JsonNode models = JSON.readTree(get(server, "/v1/models", AUTH).body());
        assertEquals("m", models.get(0).get("name").asText());
        assertEquals(List.of(32, 32), List.of(models.get(0).get("input_size").get(0).asInt(), models.get(0).get("input_size").get(1).asInt()));
        assertEquals(1, models.get(0).get("channels").asInt());
        assertEquals(3, models.get(0).get("labels").size());
        assertEquals(200, get(server, "/healthz").statusCode());
        assertEquals(200, get(server, "/readyz").statusCode());
    }

    @Test
    void aTwoGigabyteContentLengthIs413BeforeAnyOfTheBodyIsSent() throws Exception {
        // only the header goes out: an answer proves the server did not wait for (or buffer) the body
        String status = rawStatus(server, "POST /v1/models/m/predict HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: image/png\r\nContent-Length: 2147483648\r\n\r\n", 10_000);
        assertEquals("HTTP/1.1 413 Payload Too Large", status.replace("Content Too Large", "Payload Too Large"));
        // a chunked body (no length) is read only up to the limit (1 MB here), then refused too
        try (Socket sock = new Socket("127.0.0.1", server.port())) {
            sock.setSoTimeout(30_000);
            OutputStream o = sock.getOutputStream();
            o.write(("POST /v1/models/m/predict HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 16];
            for (int i = 0; i < 17; i++) {   // 17 × 64 KiB > 1 MiB
                o.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                o.write(chunk);
                o.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            o.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            assertTrue(statusLine(sock.getInputStream()).startsWith("HTTP/1.1 413"));
        }
    }

    @Test
    void slowLorisClientsDoNotBlockOthers() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {   // half a header, or a header and a trickle of a long body, then silence
                Socket s = new Socket("127.0.0.1", server.port());
                OutputStream o = s.getOutputStream();
                o.write((i % 2 == 0 ? "POST /v1/models/m/predict HTTP/1.1\r\nHost: x\r\nContent-Ty"
                        : "POST /v1/models/m/predict HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                        + "\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n\u0089PNG").getBytes(StandardCharsets.ISO_8859_1));
                o.flush();
                slow.add(s);
            }
            byte[] png = Files.readAllBytes(PNG);
            List<CompletableFuture<Integer>> others = new ArrayList<>();
            for (int i = 0; i < 8; i++)
                others.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return post(server, "/v1/models/m/predict", "image/png", png, AUTH).statusCode();
                    } catch (Exception e) {
                        return -1;
                    }
                }));
            for (var f : others) assertEquals(200, f.get(20, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            for (Socket s : slow) s.close();
        }
    }

    @Test
    void metricsAndOpenApiDescribeTheService() throws Exception {
        post(server, "/v1/models/m/predict", "image/png", Files.readAllBytes(PNG), AUTH);
        post(server, "/v1/models/nope/predict", "image/png", Files.readAllBytes(PNG), AUTH);
        HttpResponse<String> m = get(server, "/metrics");
        assertEquals(200, m.statusCode());
        String t = m.body();
        assertTrue(Pattern.compile("medmamba_http_requests_total\\{model=\"m\",route=\"predict\",status=\"200\"} [1-9]").matcher(t).find(), t);
        assertTrue(t.contains("medmamba_http_requests_total{model=\"(unknown)\",route=\"predict\",status=\"404\"}"), t);
        assertTrue(t.contains("medmamba_predict_latency_seconds_bucket{le=\"0.005\",model=\"m\"}")
                || t.contains("medmamba_predict_latency_seconds_bucket{model=\"m\",le=\"0.005\"}"), t);
        Matcher b = Pattern.compile("medmamba_batch_size_images_count\\{model=\"m\"} (\\d+)").matcher(t);
        assertTrue(b.find() && Integer.parseInt(b.group(1)) >= 1, t);
        assertTrue(t.contains("medmamba_queue_depth_images{model=\"m\"} 0"), t);
        assertTrue(t.contains("medmamba_in_flight_requests "), t);
        assertTrue(t.contains("medmamba_jvm_heap_bytes{area=\"used\"}"), t);
        JsonNode api = JSON.readTree(get(server, "/openapi.json").body());
        assertEquals("3.0.3", api.get("openapi").asText());
        Set<String> paths = new HashSet<>();
        api.get("paths").fieldNames().forEachRemaining(paths::add);
        assertEquals(Set.of("/v1/models/{name}/predict", "/v1/models/{name}/reload", "/v1/models", "/healthz", "/readyz", "/metrics", "/openapi.json"), paths);
        for (String code : List.of("200", "400", "401", "404", "413", "415", "429", "503"))
            assertTrue(api.get("paths").get("/v1/models/{name}/predict").get("post").get("responses").has(code), code);
    }

    @Test
    void reloadSwapsTheModelReplacedOnDisk() throws Exception {
        Path dir2 = Files.createDirectories(dir.resolve("reload"));
        Path file = bundle(dir2, "r", 1);
        try (InferenceServer s = InferenceServer.start(settings(Map.of("r", file)))) {
            byte[] png = Files.readAllBytes(PNG);
            JsonNode before = JSON.readTree(post(s, "/v1/models/r/predict", "image/png", png).body());
            Files.move(bundle(Files.createDirectories(dir2.resolve("new")), "r", 2), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            HttpResponse<String> r = post(s, "/v1/models/r/reload", null, new byte[0]);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode after = JSON.readTree(post(s, "/v1/models/r/predict", "image/png", png).body());
            assertNotEquals(before.get("model_sha256").asText(), after.get("model_sha256").asText());
            assertEquals(JSON.readTree(r.body()).get("sha256").asText(), after.get("model_sha256").asText());
            assertNotEquals(before.get("predictions").get(0).get("probabilities").get(0).asDouble(),
                    after.get("predictions").get(0).get("probabilities").get(0).asDouble());
            Files.write(file, new byte[]{1, 2, 3});   // a broken file: 409, the loaded version keeps serving
            assertEquals(409, post(s, "/v1/models/r/reload", null, new byte[0]).statusCode());
            assertEquals(after.get("predictions"), JSON.readTree(post(s, "/v1/models/r/predict", "image/png", png).body()).get("predictions"));
        }
    }

    @Test
    void concurrentRequestsShareABatchAndAFullQueueIs429WithRetryAfter() throws Exception {
        Path dir3 = Files.createDirectories(dir.resolve("queue"));
        ServeSettings d = settings(Map.of("q", bundle(dir3, "q", 3)));
        // the first 10-frame request waits up to 5 s for a 16-image batch to fill: the second cannot fit
        ServeSettings s = new ServeSettings(d.models(), d.host(), 0, 16, 5000, 16, d.maxBodyBytes(), null, null, null, null, d.drain());
        try (InferenceServer srv = InferenceServer.start(s)) {
            byte[] scan = Files.readAllBytes(dicom), png = Files.readAllBytes(PNG);
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> call(() -> post(srv, "/v1/models/q/predict", "application/dicom", scan)));
            awaitQueued(() -> srv.queued("q"), 10);
            HttpResponse<String> second = post(srv, "/v1/models/q/predict", "application/dicom", scan);
            assertEquals(429, second.statusCode(), second.body());
            assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));
            // six single images join the first request's batch: 10 + 6 = one forward pass of 16
            List<CompletableFuture<HttpResponse<String>>> small = new ArrayList<>();
            for (int i = 0; i < 6; i++) small.add(CompletableFuture.supplyAsync(() -> call(() -> post(srv, "/v1/models/q/predict", "image/png", png))));
            assertEquals(200, first.get().statusCode());
            for (var f : small) assertEquals(200, f.get().statusCode());
            String t = get(srv, "/metrics").body();
            assertTrue(t.contains("medmamba_batch_size_images_bucket{model=\"q\",le=\"8.0\"} 0")
                    || t.contains("medmamba_batch_size_images_bucket{le=\"8.0\",model=\"q\"} 0"), t);
            assertTrue(t.contains("medmamba_batch_size_images_sum{model=\"q\"} 16.0"), t);
            // more images than the queue can ever hold: 413, not 429 forever
            HttpResponse<String> huge = post(srv, "/v1/models/q/predict", "multipart/form-data; boundary=" + BOUNDARY,
                    multipart(new Upload("a.dcm", "application/dicom", scan), new Upload("b.dcm", "application/dicom", scan)));
            assertEquals(413, huge.statusCode(), huge.body());
        }
    }

    @Test
    void drainFinishesInFlightRequestsAndAnswers503ToNewOnes() throws Exception {
        Path dir4 = Files.createDirectories(dir.resolve("drain"));
        ServeSettings d = settings(Map.of("d", bundle(dir4, "d", 4)));
        ServeSettings s = new ServeSettings(d.models(), d.host(), 0, 16, 3000, 64, d.maxBodyBytes(), null, null, null, null, d.drain());
        InferenceServer srv = InferenceServer.start(s);
        int port = srv.port();
        try (Socket idle = new Socket("127.0.0.1", port)) {   // connected before the drain: it may still ask, and hears 503
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(
                    () -> call(() -> post(srv, "/v1/models/d/predict", "image/png", Files.readAllBytes(PNG))));
            awaitQueued(() -> srv.queued("d"), 1);   // it now waits in the batcher (up to 3 s)
            CompletableFuture<Void> drain = CompletableFuture.runAsync(srv::drainAndStop);
            Thread.sleep(200);
            assertFalse(srv.isReady());
            idle.setSoTimeout(10_000);
            idle.getOutputStream().write("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(statusLine(idle.getInputStream()).startsWith("HTTP/1.1 503"));
            assertEquals(200, inFlight.get().statusCode(), "the request in flight completes");
            drain.get();
            assertThrows(java.io.IOException.class, () -> new Socket("127.0.0.1", port).close(), "no longer accepting");
        }
    }

    @Test
    void explainGradcamAddsTheOverlayThatExplainWouldDraw() throws Exception {
        byte[] png = Files.readAllBytes(PNG);
        HttpResponse<String> r = post(server, "/v1/models/m/predict?explain=gradcam", "image/png", png, AUTH);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode p = JSON.readTree(r.body()).get("predictions").get(0);
        assertEquals("gradcam", p.get("explanation").get("method").asText());
        java.awt.image.BufferedImage got = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                java.util.Base64.getDecoder().decode(p.get("explanation").get("overlay_png_base64").asText())));
        try (var ex = org.medmamba.api.Explainer.load(model)) {
            var e = ex.explain(PNG, "gradcam", p.get("label").asText());
            var prepared = new org.medmamba.eval.Predictor(org.medmamba.bundle.ModelBundle.load(model)).prepare(org.medmamba.data.ImageFiles.read(PNG));
            java.awt.image.BufferedImage want = org.medmamba.explain.Overlay.render(prepared, e);
            assertEquals(want.getWidth(), got.getWidth());
            assertEquals(want.getHeight(), got.getHeight());
            for (int y = 0; y < want.getHeight(); y++)
                for (int x = 0; x < want.getWidth(); x++) assertEquals(want.getRGB(x, y), got.getRGB(x, y), "pixel " + x + "," + y);
        }
        var raw = CLIENT.send(java.net.http.HttpRequest.newBuilder(uri(server, "/v1/models/m/predict?explain=gradcam"))
                .header("Content-Type", "image/png").header("Accept", "image/png").header(AUTH[0], AUTH[1])
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, raw.statusCode());
        assertEquals("image/png", raw.headers().firstValue("Content-Type").orElse(""));
        assertEquals(got.getWidth(), javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(raw.body())).getWidth());
        assertEquals(400, post(server, "/v1/models/m/predict?explain=nonsense", "image/png", png, AUTH).statusCode());
        assertEquals(400, post(server, "/v1/models/m/predict?explain=gradcam", "application/dicom", Files.readAllBytes(dicom),
                AUTH[0], AUTH[1], "Accept", "image/png").statusCode(), "10 frames cannot be one PNG");
    }

    interface Call<T> {
        T get() throws Exception;
    }

    static <T> T call(Call<T> c) {
        try {
            return c.get();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
