package org.accomplishments.validator.validation.script;

/** What a logic script's run means for the trophy (formats.md section 3). */
public enum ScriptAnswer {
    /** Exit code 0. */
    ACCOMPLISHED,
    /** Exit code 1: not accomplished (yet); worth asking again later. */
    NOT_ACCOMPLISHED,
    /** Exit code 4: the extra information the script needs is missing. */
    MISSING_INFORMATION,
    /** Exit code 2, any other code, a signal, a timeout, or the script could not be started. */
    ERROR
}
