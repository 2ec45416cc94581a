package org.medmamba.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that a crash never leaves a torn one: write a temporary file beside the target,
 * fsync it, rename it over the target, fsync the directory.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** The temporary files of {@link #write}: ".NAME.DIGITS.tmp" beside NAME. */
    private static final java.util.regex.Pattern TEMP = java.util.regex.Pattern.compile("\\.(.+)\\.[0-9]+\\.tmp");

    /** Whether name is a temporary file of a write to target (or of any write when target is null). */
    public static boolean isTemp(String name, String target) {
        java.util.regex.Matcher m = TEMP.matcher(name);
        return m.matches() && (target == null || m.group(1).equals(target));
    }

    /**
     * Deletes the temporary files that killed writes of these targets left in dir. Only call it
     * while nothing else writes them (under the folder's {@link FolderLock}). Returns how many.
     */
    public static int removeStale(Path dir, java.util.Collection<String> targets) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (var s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && targets.stream().anyMatch(t -> isTemp(name, t))) {
                    Files.deleteIfExists(p);
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * ".NAME.DIGITS.tmp", created new with the default mode (0666 less the umask, so 0644 as users
     * expect of a report or a bundle; Files.createTempFile would make it 0600).
     */
    static Path newTemp(Path dir, String name) throws IOException {
        java.util.random.RandomGenerator r = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve("." + name + "." + Long.toUnsignedString(r.nextLong()) + ".tmp");
            try {
                return Files.createFile(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            }
        }
    }

    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes target atomically; a failure (a full disk, say) names target and leaves its old content whole. */
    public static void write(Path target, Writer writer) throws IOException {
        try {
            writeAtomically(target, writer);
        } catch (BadFileException e) {
            throw e;
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new BadFileException(target, "cannot write (" + why + ")", e);
        }
    }

    private static void writeAtomically(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = newTemp(dir, target.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // some file systems cannot fsync a directory; the rename itself is still atomic
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
