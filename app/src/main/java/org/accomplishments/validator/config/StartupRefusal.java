package org.accomplishments.validator.config;

/**
 * A start the service refuses, with the one sentence an operator needs (what is wrong, where, what to do) and
 * the exit code: {@link #CONFIG} for a configuration mistake, {@link #DATA} for a data directory it must not use.
 */
public class StartupRefusal extends Exception {
    /** sysexits EX_CONFIG: the configuration is wrong. */
    public static final int CONFIG = 78;
    /** sysexits EX_DATAERR: the data directory's contents (the database) cannot be used. */
    public static final int DATA = 65;

    private final int exitCode;

    public StartupRefusal(int exitCode, String sentence) {
        super(sentence, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
