/**
 * The {@code .mmb} model bundle: one safetensors file holding a model's weights and, in its
 * metadata, what using it needs (architecture, labels, input size, normalisation, provenance).
 * Read first: {@link org.medmamba.bundle.ModelBundle}.
 * <p>May import {@code model}, {@code io} and {@code quant} (and below); sits above them so that {@code io}
 * stays a format layer that knows no network.
 */
package org.medmamba.bundle;
