package org.medmamba.eval.report;

import org.medmamba.cli.Main;
import picocli.CommandLine.Command;

/** The program's name and version, as the CLI's --version prints it ("medmamba 0.1.0"). */
final class Software {
    private Software() {}

    static String version() {
        Command c = Main.class.getAnnotation(Command.class);
        return c != null && c.version().length > 0 ? c.version()[0] : "medmamba";
    }
}
