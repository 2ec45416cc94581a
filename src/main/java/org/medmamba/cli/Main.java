package org.medmamba.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./medmamba}: one picocli command with a subcommand per task. */
@Command(name = "medmamba", mixinStandardHelpOptions = true, version = "medmamba 0.1.0",
        description = "MedMamba medical-image classifier on a pure-Java tensor engine.",
        subcommands = {ImportTorchCommand.class, PredictCommand.class, InspectCommand.class, InfoCommand.class, TrainCommand.class, EvaluateCommand.class, DemoCommand.class,
                DatasetCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
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
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit code (0 ok, 1 failure, 2 usage error). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // Failures are one line naming the file and the problem, never a stack trace
        // (set MEDMAMBA_DEBUG=1 to see one).
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            cmd.getErr().println("medmamba: " + msg);
            if (System.getenv("MEDMAMBA_DEBUG") != null) e.printStackTrace(cmd.getErr());
            return 1;
        });
        return cli.execute(args);
    }
}
