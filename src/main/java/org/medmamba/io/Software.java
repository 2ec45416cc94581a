package org.medmamba.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The program's name and version ("medmamba 0.1.0-SNAPSHOT"), as written into reports and
 * printed by {@code --version}. The version comes from the POM through a filtered resource, so
 * there is one place to change it.
 */
public final class Software {
    private static final String VERSION = read();

    private Software() {}

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" when run from unfiltered classes. */
    public static String version() {
        return VERSION;
    }

    /** "medmamba VERSION". */
    public static String nameAndVersion() {
        return "medmamba " + VERSION;
    }

    private static String read() {
        try (InputStream in = Software.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
