package org.medmamba.bench;

import java.util.Arrays;

/** Setting checks and the median the benchmarks report. */
final class Checks {
    private Checks() {}

    static void positive(String setting, int v) {
        if (v < 1) throw new IllegalArgumentException(setting + ": " + v + " is not >= 1");
    }

    static void notNegative(String setting, int v) {
        if (v < 0) throw new IllegalArgumentException(setting + ": " + v + " is negative");
    }

    /** The middle value (upper middle for an even count), as the benchmarks have always reported. */
    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
