package org.medmamba.cli;

import java.util.List;
import java.util.Locale;

/**
 * How much the CLI says on stderr: {@code --log-level error|warn|info|debug} (default info),
 * {@code --quiet} = warn. Results (stdout) and failures are always printed; progress bars and
 * notes need info; warnings need warn; debug adds stack traces.
 */
final class Log {
    enum Level { ERROR, WARN, INFO, DEBUG }

    private static volatile Level level = Level.INFO;

    private Log() {}

    /** Read from the command line before picocli runs, so that every command sees it from its first line. */
    static void configure(List<String> args) {
        Level l = Level.INFO;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) break;
            if (a.equals("--quiet")) l = Level.WARN;
            String v = a.startsWith("--log-level=") ? a.substring(12) : a.equals("--log-level") && i + 1 < args.size() ? args.get(i + 1) : null;
            if (v != null) {
                try {
                    l = Level.valueOf(v.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    l = Level.INFO;   // picocli reports the bad value
                }
            }
        }
        level = l;
    }

    static Level level() {
        return level;
    }

    static boolean info() {
        return level.compareTo(Level.INFO) >= 0;
    }

    static boolean debug() {
        return level == Level.DEBUG;
    }

    /** A note ("medmamba: …") at info level; one that starts with "warning" at warn level. */
    static void note(String line) {
        boolean warning = line.toLowerCase(Locale.ROOT).startsWith("warning");
        if (info() || (warning && level.compareTo(Level.WARN) >= 0)) System.err.println("medmamba: " + line);
    }

    /** A progress line (benchmark runs, epochs) at info level. */
    static void progress(String line) {
        if (info()) System.err.println(line);
    }
}
