package org.accomplishments.validator.cli;

/** Exit codes of the command line (documented in README.md, "Command line"). */
public final class ExitCodes {
    /** The signature is good, by a pinned key, and the trophy beside it matches (and the binding, when asked). */
    public static final int GOOD = 0;
    /** Not a good signature by a pinned key: bad, unknown key, weak hash, or not a cleartext-signed file at all. */
    public static final int BAD_SIGNATURE = 1;
    /** The signature is good but the {@code .trophy} beside it is missing or differs from the signed [trophy]. */
    public static final int TROPHY_MISMATCH = 2;
    /** The signature and trophy are good but the [validation] binding is not the expected share id or owner. */
    public static final int BINDING_MISMATCH = 3;
    /** verify: the signature is named in the given, good revocation list. */
    public static final int REVOKED = 4;
    /**
     * verify: the revocation list is older than one seen before: its serial is below {@code --min-serial} or the
     * {@code --revocations-state} file's, or it carries no serial (the older format) when one is required.
     */
    public static final int STALE_REVOCATIONS = 5;
    /**
     * run: another service already runs on this data directory (it holds {@code validator.data-dir/validator.lock});
     * sysexits EX_TEMPFAIL: it starts once that one is stopped.
     */
    public static final int ALREADY_RUNNING = 75;
    /** Wrong arguments. */
    public static final int USAGE = 64;
    /** A named file cannot be read. */
    public static final int NO_INPUT = 66;
    /** Anything else went wrong (a key store that cannot be written, ...). */
    public static final int FAILURE = 70;

    private ExitCodes() {
    }
}
