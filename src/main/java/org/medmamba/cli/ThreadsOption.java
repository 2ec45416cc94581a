package org.medmamba.cli;

import picocli.CommandLine.Option;

/** {@code --threads}, shared by every command that computes (a picocli mixin). */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();
}
