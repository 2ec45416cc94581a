package org.medmamba.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on stderr: on a terminal one {@code \r}-redrawn bar with rate and ETA, at most every 100 ms;
 * otherwise (a log file, a pipe) one plain line when it finishes, so a log gets one line per epoch
 * ({@code --log-level debug}: a line per 10 % as well). Silent below {@code --log-level info}. Thread-safe; call {@link #finish} once at the end.
 */
public final class ProgressBar {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final String label, unit;
    private final PrintStream out;
    private final boolean terminal;
    private final boolean steps;    // off a terminal: also a line at 10 %, 20 %, ... (debug level)
    private int lastDecile;
    private final long start = System.nanoTime();
    private long lastDraw = Long.MIN_VALUE / 2;
    private long done, total;
    private String extra = "";
    private boolean finished;

    public ProgressBar(String label, String unit, PrintStream out, boolean terminal) {
        this(label, unit, out, terminal, false);
    }

    ProgressBar(String label, String unit, PrintStream out, boolean terminal, boolean steps) {
        this.label = label;
        this.unit = unit;
        this.out = out;
        this.terminal = terminal;
        this.steps = steps && !terminal;
    }

    /** On stderr; a terminal when the JVM has an interactive console (JDK 22+ returns a console even when redirected). */
    public static ProgressBar stderr(String label, String unit) {
        var c = System.console();
        return new ProgressBar(label, unit, Log.info() ? System.err : null, c != null && c.isTerminal(), Log.debug());
    }

    /** A bar that only a terminal sees: in a log its summary line (printed by the caller) says the same. */
    public static ProgressBar stderrTerminalOnly(String label, String unit) {
        var c = System.console();
        boolean terminal = c != null && c.isTerminal();
        return new ProgressBar(label, unit, Log.info() && (terminal || Log.debug()) ? System.err : null, terminal, Log.debug());
    }

    /** Like {@link #update(long, long)} with a short text shown after the rate (e.g. "loss 0.4132"). */
    public synchronized void update(long done, long total, String extra) {
        this.extra = extra == null ? "" : extra;
        update(done, total);
    }

    public synchronized void update(long done, long total) {
        this.done = done;
        this.total = total;
        if (finished || out == null) return;
        long now = System.nanoTime();
        if (steps) {
            int decile = total <= 0 ? 10 : (int) (10 * done / total);
            if (decile > lastDecile && decile < 10) {
                lastDecile = decile;
                out.println(line(now));
            }
            return;
        }
        if (!terminal) return;
        if (now - lastDraw >= REDRAW_NANOS || done >= total) {
            lastDraw = now;
            out.print('\r' + line(now));
            out.flush();
        }
    }

    /** Draws the final state and ends the line. */
    public synchronized void finish() {
        if (finished) return;
        finished = true;
        if (out == null) return;
        out.println((terminal ? "\r" : "") + line(System.nanoTime()));
        out.flush();
    }

    String line(long now) {
        double secs = Math.max(1e-9, (now - start) / 1e9), rate = done / secs;
        double frac = total <= 0 ? 1 : Math.min(1, (double) done / total);
        StringBuilder b = new StringBuilder(label).append(' ');
        if (terminal) {
            int fill = (int) Math.round(frac * WIDTH);
            b.append('[').append("#".repeat(fill)).append(" ".repeat(WIDTH - fill)).append("] ");
        }
        b.append(String.format(Locale.ROOT, "%3d%% %d/%d  %.1f %s/s", Math.round(frac * 100), done, total, rate, unit));
        if (!extra.isEmpty()) b.append("  ").append(extra);
        if (done < total && done > 0) b.append("  ETA ").append(clock((total - done) / rate));
        else if (done >= total) b.append("  ").append(clock(secs));
        return b.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** This bar as the API's {@link org.medmamba.api.Progress}: updates move it, done ends it, notes go to {@link Log#note}. */
    org.medmamba.api.Progress asProgress() {
        return new org.medmamba.api.Progress() {
            @Override
            public void update(long done, long total) {
                ProgressBar.this.update(done, total);
            }

            @Override
            public void done() {
                finish();
            }

            @Override
            public void message(String line) {
                Log.note(line);
            }
        };
    }
}
