package org.medmamba.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The program's name, version, commit and build date, as written into reports and bundles and
 * printed by {@code --version}. They come from the build through a filtered resource (the POM's
 * version, git-commit-id-maven-plugin's commit), so there is one place for each.
 */
public final class Software {
    private static final Properties INFO = read();

    private Software() {}

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" when run from unfiltered classes. */
    public static String version() {
        return get("version");
    }

    /** The abbreviated commit the build came from, with "-dirty" when the work tree had changes; "unknown" outside git. */
    public static String commit() {
        String c = get("commit");
        return c.equals("unknown") || !"true".equals(INFO.getProperty("dirty")) ? c : c + "-dirty";
    }

    /** When the jar was built (UTC, ISO 8601), or "unknown". */
    public static String buildDate() {
        return get("build_date");
    }

    /** "medmamba VERSION". */
    public static String nameAndVersion() {
        return "medmamba " + version();
    }

    /** "medmamba VERSION (commit C, built D)": what --version prints. */
    public static String describe() {
        return nameAndVersion() + " (commit " + commit() + ", built " + buildDate() + ")";
    }

    private static String get(String key) {
        String v = INFO.getProperty(key, "unknown");
        return v.isBlank() || v.startsWith("${") ? "unknown" : v;
    }

    private static Properties read() {
        Properties p = new Properties();
        try (InputStream in = Software.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // no build information: every field reads "unknown"
        }
        return p;
    }
}
