package org.medmamba.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Replaces a whole folder so that a failure leaves the old one whole: write a temporary sibling
 * ".NAME.DIGITS.tmp", move the old folder aside to ".NAME.DIGITS.old", move the new one in, delete
 * the old. A failed move puts the old folder back. Writers of one folder are serialised by a
 * {@link FolderLock} on the sibling ".NAME.lock"; leftovers of a killed replacement are cleaned up
 * (or, when the folder itself is missing, its ".old" copy restored) at the next replacement.
 */
public final class AtomicFolders {
    private AtomicFolders() {}

    @FunctionalInterface
    public interface Writer {
        void write(Path tmpDir) throws IOException;
    }

    /**
     * Writes dir anew. An existing dir is replaced only when every entry in it satisfies ownFile
     * (or is a temporary file of an atomic write); a folder holding anything else is refused, so
     * that a mistaken path never deletes someone's files.
     */
    public static void replace(Path dir, Predicate<String> ownFile, Writer writer) throws IOException {
        Path abs = dir.toAbsolutePath().normalize(), parent = abs.getParent();
        if (parent == null) throw new BadFileException(dir, "cannot replace a root folder");
        String name = abs.getFileName().toString();
        Files.createDirectories(parent);
        try (FolderLock lock = FolderLock.on(parent.resolve("." + name + ".lock"), dir, "another write of this folder")) {
            recover(abs, parent, name);
            if (Files.exists(abs)) {
                if (!Files.isDirectory(abs)) throw new BadFileException(dir, "is a file, not a folder");
                try (Stream<Path> s = Files.list(abs)) {
                    List<String> foreign = s.map(p -> p.getFileName().toString())
                            .filter(n -> !(ownFile.test(n) || AtomicFiles.isTemp(n, null)) || Files.isDirectory(abs.resolve(n))).sorted().toList();
                    if (!foreign.isEmpty())
                        throw new BadFileException(dir, "holds files that are not part of this output (" + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                                + (foreign.size() > 3 ? " and " + (foreign.size() - 3) + " more" : "") + "); choose a new or empty folder");
                }
            }
            Path tmp = newTempDir(parent, name);
            try {
                writer.write(tmp);
                fsync(tmp);
                if (Files.exists(abs)) {
                    String t = tmp.getFileName().toString();
                    Path old = parent.resolve(t.substring(0, t.length() - ".tmp".length()) + ".old");
                    move(abs, old);
                    try {
                        move(tmp, abs);
                    } catch (IOException | RuntimeException e) {
                        move(old, abs);
                        throw e;
                    }
                    fsync(parent);
                    deleteTree(old);
                } else {
                    move(tmp, abs);
                }
                fsync(parent);
            } finally {
                if (Files.exists(tmp)) deleteTree(tmp);
            }
        }
    }

    /** Leftovers of a killed replacement: a missing folder gets its newest ".old" back; the rest goes. */
    private static void recover(Path abs, Path parent, String name) throws IOException {
        List<Path> olds = new ArrayList<>(), tmps = new ArrayList<>();
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (!n.startsWith("." + name + ".")) continue;
                String mid = n.substring(name.length() + 2);
                if (mid.matches("[0-9]+\\.old")) olds.add(p);
                else if (mid.matches("[0-9]+\\.tmp")) tmps.add(p);
            }
        }
        if (!Files.exists(abs) && !olds.isEmpty()) {
            Path newest = olds.stream().max(Comparator.comparing(AtomicFolders::modified)).orElseThrow();
            move(newest, abs);
            olds.remove(newest);
        }
        for (Path p : olds) deleteTree(p);
        for (Path p : tmps) deleteTree(p);
    }

    private static Path newTempDir(Path parent, String name) throws IOException {
        java.util.random.RandomGenerator r = new java.security.SecureRandom();
        while (true) {
            try {
                return Files.createDirectory(parent.resolve("." + name + "." + Long.toUnsignedString(r.nextLong()) + ".tmp"));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // a name collision: draw again
            }
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, new CopyOption[0]);
        }
    }

    private static void fsync(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the renames are still atomic
        }
    }

    /** Deletes a tree without following links. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
