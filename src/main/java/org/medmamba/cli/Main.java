package org.medmamba.cli;

import org.medmamba.io.Software;
import org.medmamba.api.Failures;
import org.medmamba.io.SettingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code ./medmamba}: one picocli command with a subcommand per task. */
@Command(name = "medmamba", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "MedMamba medical-image classifier on a pure-Java tensor engine.",
        subcommands = {ImportTorchCommand.class, QuantizeCommand.class, PredictCommand.class, ExplainCommand.class, InspectCommand.class, InfoCommand.class, TrainCommand.class, EvaluateCommand.class, DemoCommand.class,
                DatasetCommand.class, ServeCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
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
        // (--debug or MEDMAMBA_DEBUG=1 shows one).
        Log.configure(java.util.Arrays.asList(args));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        boolean debug = System.getenv("MEDMAMBA_DEBUG") != null || java.util.Arrays.asList(args).contains("--debug") || Log.debug();
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("medmamba: " + oneLine(e));
            if (debug) e.printStackTrace(cmd.getErr());
            return 1;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {   // picocli passes Errors through
            cli.getErr().println("medmamba: " + Failures.describe(e));
            if (debug) e.printStackTrace(cli.getErr());
            return 1;
        }
    }

    /** The message shown for a failure: settings as flags, capped to one line of at most ~300 characters. */
    static String oneLine(Throwable e) {
        String msg = e instanceof SettingException s ? flag(s) + " " + s.problem() : Failures.describe(e);
        return msg.length() > 320 ? msg.substring(0, 300) + "… (" + (msg.length() - 300) + " more characters)" : msg;
    }

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of a failure (also MEDMAMBA_DEBUG=1).")
    boolean debugOption;

    @Option(names = "--quiet", scope = CommandLine.ScopeType.INHERIT,
            description = "No progress bars or notes on stderr, only warnings and errors (= --log-level warn).")
    boolean quietOption;

    @Option(names = "--log-level", scope = CommandLine.ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "error, warn, info (default) or debug (info plus stack traces of failures).")
    Log.Level logLevelOption;

    /** The library names settings as its API does (batchSize); the CLI shows its flag (--batch-size). */
    static String flag(SettingException e) {
        // the API's output settings are --out on every command
        if (e.setting().equals("runDir") || e.setting().equals("reportDir")) return "--out";
        if (e.setting().equals("overwrite")) return "--force";
        if (e.setting().equals("augment")) return "--no-augment";
        return "--" + e.setting().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** --version: "medmamba VERSION (commit C, built D)". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{Software.describe()};
        }
    }
}
