package org.medmamba.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code medmamba bench ...}: speed measurements (warm-up, then median of repeats). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed (after warm-up; medians of repeats).",
        subcommands = {BenchKernelsCommand.class, BenchInferenceCommand.class, BenchTrainCommand.class, BenchDataCommand.class,
                BenchExplainCommand.class, BenchServeCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
