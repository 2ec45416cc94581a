package org.medmamba.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a folder for one process: {@link FileChannel#tryLock} on a lock file that
 * holds the holder's PID. The operating system drops the lock when the process dies, so a killed
 * run never leaves a folder locked. The file itself stays (deleting it would let two processes
 * lock two different files of the same name); only a held lock counts.
 */
public final class FolderLock implements AutoCloseable {
    /** The lock file of a run folder. */
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks folder/.lock, creating the folder; what names the holder in a refusal ("another run"). */
    public static FolderLock of(Path folder, String what) throws IOException {
        return on(folder.resolve(FILE), folder, what);
    }

    /** Locks lockFile, which guards folder; refuses with {@link FolderInUseException} when it is held. */
    public static FolderLock on(Path lockFile, Path folder, String what) throws IOException {
        Files.createDirectories(lockFile.toAbsolutePath().getParent());
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // held by this process (another run in this JVM)
            }
            if (l == null) throw new FolderInUseException(folder, holder(ch), what);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            return new FolderLock(ch, l);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return s.matches("[0-9]{1,19}") ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0); // an unheld lock file names nobody
            lock.release();
        } finally {
            channel.close();
        }
    }
}
