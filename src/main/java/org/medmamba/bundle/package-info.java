/**
 * The {@code .mmb} model bundle: one safetensors file holding a model's weights and, in its
 * metadata, what using it needs (architecture, labels, input size, normalisation, provenance).
 * Read first: {@link org.medmamba.bundle.ModelBundle}.
 * <p>May import {@code model} and {@code io} (and below); sits above both so that {@code io}
 * stays a format layer that knows no network.
 */
package org.medmamba.bundle;
