/**
 * The HTTP inference service ({@code ./medmamba serve}, docs/serving.md): {@link org.medmamba.serve.InferenceServer}
 * (routes, auth, TLS, audit log, graceful drain) over a {@link org.medmamba.serve.Batcher} per model (dynamic
 * batching with a bounded queue), {@link org.medmamba.serve.ServeMetrics} for Prometheus, and the load test
 * behind {@code ./medmamba bench serve} ({@link org.medmamba.serve.LoadGenerator}, {@link org.medmamba.serve.ServeBenchmark}).
 * <p>May import every package below it (tensor … api); never {@code cli}.
 */
package org.medmamba.serve;
