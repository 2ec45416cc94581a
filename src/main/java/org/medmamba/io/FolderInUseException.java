package org.medmamba.io;

import java.nio.file.Path;

/** A folder another run or write holds the lock of; the message names the folder and the holder's PID. */
public final class FolderInUseException extends BadFileException {
    private static final long serialVersionUID = 1L;
    private final transient Path folder;
    private final String holder;

    public FolderInUseException(Path folder, String holder, String what) {
        super(folder, "is in use by " + what + " (process " + holder + "); wait for it to end or choose another folder");
        this.folder = folder;
        this.holder = holder;
    }

    public Path folder() {
        return folder;
    }

    /** The holder's process id as its lock file says, or "unknown". */
    public String holder() {
        return holder;
    }
}
