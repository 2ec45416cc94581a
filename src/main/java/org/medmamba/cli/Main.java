package org.medmamba.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./medmamba}: one picocli command with a subcommand per task. */
@Command(name = "medmamba", mixinStandardHelpOptions = true, version = "medmamba 0.1.0",
        description = "MedMamba medical-image classifier on a pure-Java tensor engine.",
        subcommands = {BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "The launcher also has:",
                "  test    run the whole test suite (mvn verify) with the JDK it found", ""})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
