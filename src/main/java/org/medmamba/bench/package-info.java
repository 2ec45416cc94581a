/**
 * The benchmarks behind {@code ./medmamba bench inference|train|kernels|data}: each a
 * {@code Settings} record that validates itself, a {@code run} method and result records; the CLI
 * only prints them. Read first: {@link org.medmamba.bench.InferenceBenchmark}; the kernel timers
 * ({@link org.medmamba.bench.GemmBenchmark}, {@link org.medmamba.bench.ConvBenchmark},
 * {@link org.medmamba.bench.ScanBenchmark}) are kept out of the production {@code kernels} package.
 * <p>May import the packages below {@code api}; uses kernels only through {@code Kernels}.
 */
package org.medmamba.bench;
