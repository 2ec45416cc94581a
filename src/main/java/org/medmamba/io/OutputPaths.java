package org.medmamba.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses an output that would overwrite or swallow an input (e.g. {@code import-torch X.pth --out
 * X.pth}). Paths are compared after resolving links and "..", and with {@link Files#isSameFile}
 * when both exist (hard links).
 */
public final class OutputPaths {
    private OutputPaths() {}

    /** out may not be input. */
    public static void refuseSameFile(String setting, Path out, Path input) {
        Path o = real(out), i = real(input);
        if (o.equals(i) || sameExisting(out, input))
            throw new SettingException(setting, "is " + out + ", the same file as the input " + input);
    }

    /** Also refuses out inside an input folder (the output would become part of the data). */
    public static void refuseInside(String setting, Path out, Path input) {
        refuseSameFile(setting, out, input);
        Path o = real(out), i = real(input);
        if (Files.isDirectory(input) && o.startsWith(i))
            throw new SettingException(setting, "is " + out + ", inside the input folder " + input);
    }

    /** Also refuses an output folder that holds the input (the output folder is replaced whole). */
    public static void refuseOverlap(String setting, Path out, Path input) {
        refuseInside(setting, out, input);
        if (real(input).startsWith(real(out)))
            throw new SettingException(setting, "is " + out + ", which holds the input " + input + " (the folder is replaced whole)");
    }

    private static boolean sameExisting(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The real path of the longest existing prefix, then the rest as written. */
    static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize(), rest = null;
        for (Path cur = abs; cur != null; cur = cur.getParent()) {
            try {
                Path r = cur.toRealPath();
                return rest == null ? r : r.resolve(rest).normalize();
            } catch (IOException e) {
                Path name = cur.getFileName();
                if (name == null) break;
                rest = rest == null ? name : name.resolve(rest);
            }
        }
        return abs;
    }
}
