package org.medmamba.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.medmamba.api.Explainer;
import org.medmamba.api.FilePrediction;
import org.medmamba.api.MedMambaException;
import org.medmamba.api.Prediction;
import org.medmamba.api.PredictionJson;
import org.medmamba.data.image.Image;
import org.medmamba.explain.Explanation;
import org.medmamba.explain.Explanations;
import org.medmamba.explain.Overlay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP inference service: {@code ./medmamba serve} as a library call.
 * <pre>{@code
 * try (InferenceServer s = InferenceServer.start(ServeSettings.defaults(Map.of("chest", Path.of("chest.mmb"))))) {
 *     ... POST http://127.0.0.1:8080/v1/models/chest/predict ...
 *     s.drainAndStop();
 * }
 * }</pre>
 * Routes and status codes: docs/serving.md and {@code GET /openapi.json}. Every refusal of client
 * input is a 4xx with a one-line JSON reason; a 500 means a bug here.
 */
public final class InferenceServer implements AutoCloseable {
    /** Content-Types taken as an image (the decoder then says why one is not); octet-stream or none: sniffed. */
    static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/jpg", "image/tiff", "image/bmp", "image/gif", "application/dicom");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A connection with no bytes either way this long is closed. It must exceed the longest queue
     * wait (--queue / throughput: 256 images at 9 images/s is 28 s on a shared 2-core machine): Jetty
     * counts a request waiting in the batcher as idle, and at 30 s a 200-connection load test lost one.
     */
    private static final int IDLE_TIMEOUT_MS = 300_000;
    /** Request threads (they block while their images are in the batcher): 200 clients need 200. */
    static final int HTTP_THREADS = 300;

    private final ServeSettings settings;
    private final Map<String, ServedModel> models = new LinkedHashMap<>();
    private final Map<String, Batcher> batchers = new LinkedHashMap<>();
    private final ServeMetrics metrics;
    private final Tokens tokens;
    private final AuditLog audit;
    private final Javalin app;
    private volatile boolean ready;
    private volatile boolean draining;
    private boolean stopped;

    private InferenceServer(ServeSettings s) throws MedMambaException {
        this.settings = s;
        this.tokens = s.tokenFile() == null ? null : Tokens.load(s.tokenFile());
        for (var e : s.models().entrySet()) models.put(e.getKey(), ServedModel.load(e.getKey(), e.getValue()));
        this.metrics = new ServeMetrics(batchers);
        for (String name : models.keySet())
            batchers.put(name, new Batcher(name, s.maxBatch(), s.maxWaitMs(), s.queue(), n -> metrics.batch(name, n)));
        this.audit = s.auditLog() == null ? null : new AuditLog(s.auditLog());
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = s.maxBodyBytes();
            // platform threads, bounded: each request thread holds at most one body (--max-body-mb) at a time
            QueuedThreadPool pool = new QueuedThreadPool(HTTP_THREADS, 8, 60_000);
            pool.setName("serve-http");
            cfg.jetty.threadPool = pool;
            cfg.jetty.addConnector(this::connector);
            cfg.routes.get("/healthz", ctx -> handle(ctx, "healthz", false, null, () -> json(ctx, 200, JSON.createObjectNode().put("status", "live"))));
            cfg.routes.get("/readyz", ctx -> handle(ctx, "readyz", false, null, () -> {
                if (!isReady()) throw new HttpFailure(503, draining ? "shutting down" : "not ready");
                json(ctx, 200, JSON.createObjectNode().put("status", "ready"));
            }));
            cfg.routes.get("/metrics", ctx -> handle(ctx, "metrics", false, null, () -> ctx.status(200).contentType(ServeMetrics.contentType()).result(metrics.scrape())));
            cfg.routes.get("/openapi.json", ctx -> handle(ctx, "openapi", false, null, () -> ctx.status(200).contentType("application/json").result(openApi())));
            cfg.routes.get("/v1/models", ctx -> handle(ctx, "models", true, null, () -> json(ctx, 200, modelList())));
            cfg.routes.post("/v1/models/{name}/predict", ctx -> handle(ctx, "predict", true, ctx.pathParam("name"), () -> predict(ctx)));
            cfg.routes.post("/v1/models/{name}/reload", ctx -> handle(ctx, "reload", true, ctx.pathParam("name"), () -> reload(ctx)));
            cfg.routes.error(404, ctx -> {   // Javalin's own "Endpoint … not found" is plain text: ours are JSON
                String t = ctx.res().getContentType();
                if (t == null || !t.startsWith("application/json")) {
                    drainBody(ctx);
                    json(ctx, 404, error("no route " + ctx.method() + " " + clip(ctx.path()) + "; GET /openapi.json lists them", ctx.attribute("request_id")));
                }
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                System.err.println("medmamba: serve: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
                json(ctx, 500, error("internal error", ctx.attribute("request_id")));
            });
        });
        app.start();
        ready = true;
    }

    /** Loads the models (each warmed up by one forward pass), binds and starts serving. */
    public static InferenceServer start(ServeSettings s) throws MedMambaException {
        return new InferenceServer(s);
    }

    /** The port bound (useful with port 0). */
    public int port() {
        for (Connector c : app.jettyServer().server().getConnectors())
            if (c instanceof NetworkConnector n) return n.getLocalPort();
        throw new IllegalStateException("not bound");
    }

    /** Images waiting in a model's batcher (what /metrics shows as queue depth). */
    int queued(String model) {
        return batchers.get(model).depth();
    }

    /** Listening connectors (one: HTTP, or HTTPS only when a keystore is given). */
    int connectors() {
        return app.jettyServer().server().getConnectors().length;
    }

    public boolean isReady() {
        return ready && !draining;
    }

    /**
     * SIGTERM: stop accepting connections, answer 503 to new requests on open ones, let the requests
     * being handled finish (at most the drain deadline), then stop.
     */
    public synchronized void drainAndStop() {
        if (stopped) return;
        draining = true;
        for (Connector c : app.jettyServer().server().getConnectors())
            if (c instanceof NetworkConnector n) n.close();   // no new connections; open ones stay
        long deadline = System.nanoTime() + settings.drain().toNanos();
        // in-flight must stay at zero for a second: a request on a connection accepted just before the
        // listener closed may still be on its way in (it then gets its answer, or a 503, not a reset)
        int quiet = 0;
        while (System.nanoTime() < deadline && quiet < 50) {
            quiet = metrics.inFlight.get() == 0 ? quiet + 1 : 0;
            sleep(20);
        }
        close();
    }

    @Override
    public synchronized void close() {
        if (stopped) return;
        stopped = true;
        draining = true;
        app.stop();
        batchers.values().forEach(Batcher::close);
        if (audit != null) audit.close();
    }

    private Connector connector(Server server, HttpConfiguration http) {
        http.setSendServerVersion(false);
        ServerConnector c;
        if (settings.tlsKeystore() != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(settings.tlsKeystore().toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(settings.tlsPassword());
            SecureRequestCustomizer src = new SecureRequestCustomizer();
            src.setSniHostCheck(false);   // clients may call 127.0.0.1 with a certificate for a host name
            http.addCustomizer(src);
            c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        } else {
            c = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        c.setHost(settings.host());
        c.setPort(settings.port());
        c.setIdleTimeout(IDLE_TIMEOUT_MS);   // a stalled slow-loris connection is cut after this; it never holds others up
        return c;
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    /** Per request: id, auth, timing, the 4xx mapping, metrics and (for model routes) the audit line. */
    private void handle(Context ctx, String route, boolean protectedRoute, String model, Body body) throws Exception {
        long t0 = System.nanoTime();
        String id = UUID.randomUUID().toString();
        ctx.attribute("request_id", id);
        ctx.header("X-Request-Id", id);
        metrics.inFlight.incrementAndGet();
        String tokenId = null;
        ObjectNode auditEntry = audit != null && model != null ? audit.entry() : null;
        ctx.attribute("audit", auditEntry);
        try {
            if (protectedRoute && tokens != null) {
                tokenId = tokens.check(ctx.header("Authorization"));
                if (tokenId == null) {
                    ctx.header("WWW-Authenticate", "Bearer");
                    throw new HttpFailure(401, "missing or wrong bearer token");
                }
            }
            body.run();
        } catch (HttpFailure f) {
            if (f.status == 429) ctx.header("Retry-After", "1");
            if (f.status == 413 || f.status == 503) ctx.header("Connection", "close");   // the rest of the body is never read
            else drainBody(ctx);
            json(ctx, f.status, error(f.getMessage(), id));
            if (auditEntry != null) auditEntry.put("error", auditReason(f.getMessage()));
        } finally {
            if (draining) ctx.header("Connection", "close");   // no keep-alive through a drain: clients reconnect elsewhere
            metrics.inFlight.decrementAndGet();
            double seconds = (System.nanoTime() - t0) / 1e9;
            String m = model != null && models.containsKey(model) ? model : model == null ? null : "(unknown)";
            metrics.request(route, m, ctx.statusCode());
            if ("predict".equals(route) && m != null) metrics.latency(m, seconds);
            if (auditEntry != null) {
                ObjectNode a = audit.entry();
                a.put("time", Instant.now().toString()).put("request_id", id).put("client", ctx.ip()).put("token_id", tokenId)
                        .put("route", route).put("model", m).put("status", ctx.statusCode())
                        .put("latency_ms", Math.round(seconds * 1e4) / 10.0);
                a.setAll(auditEntry);
                audit.write(a);
            }
        }
    }

    private void predict(Context ctx) throws Exception {
        long t0 = System.nanoTime();
        ServedModel model = model(ctx);
        if (!isReady()) throw new HttpFailure(503, draining ? "shutting down" : "not ready");
        String explain = ctx.queryParam("explain");
        if (explain != null && !Explanations.METHODS.contains(explain))
            throw new HttpFailure(400, "unknown explain method '" + clip(explain) + "'; known: " + String.join(", ", Explanations.METHODS));
        String accept = ctx.header("Accept");
        boolean pngOut = explain != null && accept != null && accept.toLowerCase(Locale.ROOT).contains("image/png");
        byte[] body = readBody(ctx);
        ObjectNode auditEntry = ctx.attribute("audit");
        if (auditEntry != null) auditEntry.put("input_sha256", HexFormat.of().formatHex(Tokens.sha256(body)));
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        List<Multipart.Part> parts = type.startsWith("multipart/form-data")
                ? Multipart.parse(body, Multipart.boundary(ctx.contentType()))
                : List.of(new Multipart.Part("body", ctx.contentType(), body));
        if (parts.isEmpty()) throw new HttpFailure(400, "the multipart body holds no file part");
        ServedModel.Version v = model.current();
        List<Image> images = new ArrayList<>();
        List<int[]> slots = new ArrayList<>();   // {part, frame or -1}
        for (int i = 0; i < parts.size(); i++) {
            Multipart.Part p = parts.get(i);
            checkType(p);
            List<Image> frames;
            try {
                frames = v.classifier().prepare(Path.of(p.filename()), p.body());
            } catch (MedMambaException | java.nio.file.InvalidPathException e) {
                throw new HttpFailure(400, e.getMessage());
            }
            for (int k = 0; k < frames.size(); k++) {
                images.add(frames.get(k));
                slots.add(new int[]{i, frames.size() > 1 ? k : -1});
            }
        }
        if (pngOut && images.size() != 1)
            throw new HttpFailure(400, "Accept: image/png returns one overlay: send one single-frame image (this request has " + images.size() + ")");
        Batcher b = batchers.get(model.name);
        if (images.size() > b.capacity())
            throw new HttpFailure(413, images.size() + " images in one request; the queue holds at most " + b.capacity() + " (--queue)");
        CompletableFuture<List<Prediction>> f = b.submit(v.classifier(), images);
        if (f == null) throw new HttpFailure(429, "queue full (" + b.capacity() + " images); retry later");
        List<Prediction> preds;
        try {
            preds = f.get(10, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("forward pass failed: " + e.getMessage(), e);
        }
        List<byte[]> overlays = explain == null ? null : overlays(model.explainer(v), images, preds, explain);
        if (pngOut) {
            if (auditEntry != null) auditEntry.putArray("results").addObject().put("label", preds.getFirst().label()).put("probability", preds.getFirst().probability());
            ctx.status(200).contentType("image/png").result(overlays.getFirst());
            return;
        }
        List<FilePrediction> rows = new ArrayList<>(preds.size());
        for (int j = 0; j < preds.size(); j++)
            rows.add(new FilePrediction(Path.of(parts.get(slots.get(j)[0]).filename()), slots.get(j)[1], preds.get(j), null));
        ObjectNode out = JSON.createObjectNode().put("model", model.name).put("model_sha256", v.sha256())
                .put("request_id", (String) ctx.attribute("request_id"))
                .put("latency_ms", Math.round((System.nanoTime() - t0) / 1e5) / 10.0);
        ArrayNode entries = PredictionJson.array(rows);
        if (overlays != null)
            for (int j = 0; j < overlays.size(); j++)
                ((ObjectNode) entries.get(j)).putObject("explanation").put("method", explain)
                        .put("overlay_png_base64", java.util.Base64.getEncoder().encodeToString(overlays.get(j)));
        out.set("predictions", entries);
        if (auditEntry != null) {
            ArrayNode results = auditEntry.putArray("results");
            for (Prediction p : preds) results.addObject().put("label", p.label()).put("probability", p.probability());
        }
        json(ctx, 200, out);
    }

    /** The overlay PNG (as {@code explain} writes it) of each image, for its predicted class; serialised by the explainer. */
    private static List<byte[]> overlays(Explainer ex, List<Image> images, List<Prediction> preds, String method) throws IOException {
        List<byte[]> out = new ArrayList<>(images.size());
        for (int j = 0; j < images.size(); j++) {
            Explanation e = ex.explain(images.get(j), method, preds.get(j).label());
            var bytes = new java.io.ByteArrayOutputStream();
            if (!javax.imageio.ImageIO.write(Overlay.render(images.get(j), e), "png", bytes)) throw new IOException("no PNG writer");
            out.add(bytes.toByteArray());
        }
        return out;
    }

    private void reload(Context ctx) throws Exception {
        ServedModel model = model(ctx);
        if (!isReady()) throw new HttpFailure(503, draining ? "shutting down" : "not ready");
        ServedModel.Version v;
        try {
            v = model.reload();
        } catch (MedMambaException e) {
            throw new HttpFailure(409, "cannot reload, the previous version keeps serving: " + e.getMessage());
        }
        ObjectNode a = ctx.attribute("audit");
        if (a != null) a.put("model_sha256", v.sha256());
        json(ctx, 200, describe(model.name, v));
    }

    private ServedModel model(Context ctx) throws HttpFailure {
        ServedModel m = models.get(ctx.pathParam("name"));
        if (m == null) throw new HttpFailure(404, "no model named '" + clip(ctx.pathParam("name")) + "'; GET /v1/models lists them");
        return m;
    }

    /**
     * Reads and discards what is left of a request body within the size limit, before an answer given
     * without it (401, 404, 415, a bad query): closing a connection with unread bytes in it makes TCP
     * reset it, and the client then loses the answer ("header parser received no bytes"). Bodies over
     * the limit get 413 with Connection: close instead and are never read.
     */
    private void drainBody(Context ctx) {
        long max = settings.maxBodyBytes();
        if (ctx.req().getContentLengthLong() > max) {
            ctx.header("Connection", "close");
            return;
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > max) {   // a chunked body over the limit: stop reading, close after the answer
                    ctx.header("Connection", "close");
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            ctx.header("Connection", "close");
        }
    }

    /** The body, bounded: a declared Content-Length over the limit is refused before a byte is read. */
    private byte[] readBody(Context ctx) throws HttpFailure {
        long max = settings.maxBodyBytes(), declared = ctx.req().getContentLengthLong();
        if (declared > max) throw new HttpFailure(413, "body of " + declared + " bytes; the limit is " + max + " (--max-body-mb)");
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT).split(";")[0].strip();
        if (!type.isEmpty() && !type.equals("application/octet-stream") && !type.equals("multipart/form-data") && !IMAGE_TYPES.contains(type))
            throw new HttpFailure(415, "unsupported Content-Type " + clip(type) + "; send PNG, JPEG, TIFF, BMP, GIF, DICOM (application/dicom) or multipart/form-data");
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 16));
            if (b.length > max) throw new HttpFailure(413, "body over the limit of " + max + " bytes (--max-body-mb)");
            if (b.length == 0) throw new HttpFailure(400, "empty body; send an image");
            return b;
        } catch (IOException e) {
            throw new HttpFailure(400, "could not read the body (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A part declared as something other than an image, or (undeclared) not starting like one: 415. */
    private static void checkType(Multipart.Part p) throws HttpFailure {
        String t = p.contentType() == null ? "" : p.contentType().toLowerCase(Locale.ROOT).split(";")[0].strip();
        if (IMAGE_TYPES.contains(t)) return;
        if (!t.isEmpty() && !t.equals("application/octet-stream"))
            throw new HttpFailure(415, p.filename() + ": unsupported Content-Type " + clip(t));
        if (!Sniff.looksLikeImage(p.body()))
            throw new HttpFailure(415, p.filename() + ": not PNG, JPEG, TIFF, BMP, GIF or DICOM by its first bytes (declare a Content-Type to get the decoder's reason)");
    }

    private ArrayNode modelList() {
        ArrayNode arr = JSON.createArrayNode();
        models.forEach((n, m) -> arr.add(describe(n, m.current())));
        return arr;
    }

    private static ObjectNode describe(String name, ServedModel.Version v) {
        var b = v.classifier().bundle();
        ObjectNode o = JSON.createObjectNode().put("name", name);
        ArrayNode labels = o.putArray("labels");
        b.labels().forEach(labels::add);
        o.putArray("input_size").add(b.imageHeight()).add(b.imageWidth());
        o.put("channels", b.config().inChans()).put("sha256", v.sha256()).put("loaded_at", v.loadedAt().toString());
        return o;
    }

    private static String openApi() throws IOException {
        try (InputStream in = InferenceServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) throw new IOException("openapi.json missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ObjectNode error(String msg, String id) {
        return JSON.createObjectNode().put("error", msg).put("request_id", id);
    }

    private static void json(Context ctx, int status, com.fasterxml.jackson.databind.JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    /** The problem of a decode failure without the uploaded file's name (which may itself name a patient). */
    private static String auditReason(String msg) {
        int colon = msg.indexOf(": ");
        return colon > 0 && colon < msg.length() - 2 ? msg.substring(colon + 2) : msg;
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
