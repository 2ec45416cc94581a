package org.medmamba.api;

/** Progress of long work (images done of total) and one-line notes about it. */
public interface Progress {
    Progress NONE = new Progress() {};

    /** Called as work advances; done counts up to total. */
    default void update(long done, long total) {}

    /** When the work is finished (a progress bar can end its line). */
    default void done() {}

    /** A note for the user, e.g. "data has no splits: evaluating every image". */
    default void message(String line) {}
}
