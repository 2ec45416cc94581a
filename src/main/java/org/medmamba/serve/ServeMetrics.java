package org.medmamba.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The service's Prometheus metrics, in its own registry (so tests and several servers in one JVM do not mix). */
final class ServeMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    final AtomicInteger inFlight = new AtomicInteger();
    private final Counter requests = Counter.builder().name("medmamba_http_requests_total")
            .help("HTTP requests by route, model (empty for routes without one) and status code")
            .labelNames("route", "model", "status").register(registry);
    private final Histogram latency = Histogram.builder().name("medmamba_predict_latency_seconds")
            .help("Time from request received to response ready, predict route, by model (every status)")
            .labelNames("model").classicOnly()
            .classicUpperBounds(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30).register(registry);
    private final Histogram images = Histogram.builder().name("medmamba_batch_size_images")
            .help("Images per forward pass (dynamic batching), by model")
            .labelNames("model").classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128).register(registry);

    ServeMetrics(Map<String, Batcher> batchers) {
        GaugeWithCallback.builder().name("medmamba_queue_depth_images").help("Images admitted and not yet answered (waiting or in the forward pass), by model; at most --queue")
                .labelNames("model").callback(cb -> batchers.forEach((m, b) -> cb.call(b.depth(), m))).register(registry);
        GaugeWithCallback.builder().name("medmamba_in_flight_requests").help("Requests being handled now")
                .callback(cb -> cb.call(inFlight.get())).register(registry);
        GaugeWithCallback.builder().name("medmamba_jvm_heap_bytes").help("JVM heap: used, committed and max")
                .labelNames("area").callback(cb -> {
                    MemoryUsage h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    cb.call(h.getUsed(), "used");
                    cb.call(h.getCommitted(), "committed");
                    cb.call(h.getMax(), "max");
                }).register(registry);
    }

    void request(String route, String model, int status) {
        requests.labelValues(route, model == null ? "" : model, Integer.toString(status)).inc();
    }

    void latency(String model, double seconds) {
        latency.labelValues(model).observe(seconds);
    }

    void batch(String model, int size) {
        images.labelValues(model).observe(size);
    }

    /** The Prometheus text exposition format (0.0.4). */
    String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.DEFAULT);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
