/**
 * Kernel benchmarks run by {@code ./medmamba bench kernels} (GEMM, convolution, selective scan):
 * kept out of the production {@code kernels} package.
 * <p>May import the packages below {@code api}; uses kernels only through {@code Kernels}.
 */
package org.medmamba.bench;
