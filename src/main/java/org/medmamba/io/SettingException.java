package org.medmamba.io;

/**
 * A setting given by the caller is invalid. It carries the setting's API name (e.g.
 * {@code batchSize}) so that a front end can show its own name for it: the CLI prints
 * {@code --batch-size must be >= 1} for {@code batchSize must be >= 1}.
 */
public final class SettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String setting, problem;

    public SettingException(String setting, String problem) {
        super(setting + " " + problem);
        this.setting = setting;
        this.problem = problem;
    }

    /** The setting's name as the Java API spells it (a builder method or record component). */
    public String setting() {
        return setting;
    }

    /** The message without the setting's name, e.g. "must be >= 1". */
    public String problem() {
        return problem;
    }
}
