/**
 * Compute kernels behind small interfaces (GEMM, convolution, selective scan, cross scan,
 * channels-last convs, activations, LayerNorm rows), each with a plain-Java reference and a
 * Vector-API version. One provider chooses ({@link org.medmamba.kernels.Kernels}: the Vector API
 * when {@code jdk.incubator.vector} is readable, else the references with a one-line notice);
 * every knob is in {@link org.medmamba.kernels.KernelConfig}; {@link org.medmamba.kernels.Parallel}
 * is the one shared thread pool. Read first: Kernels and {@link org.medmamba.kernels.SelectiveScan}.
 * <p>Imports only the JDK (and {@code jdk.incubator.vector} inside the Vector* classes).
 */
package org.medmamba.kernels;
