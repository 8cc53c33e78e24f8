package org.accomplishments.validator.share;

/** The backend could not be reached or answered with an error; the timers will try again. */
public class ShareBackendException extends Exception {
    public ShareBackendException(String message) {
        super(message);
    }

    public ShareBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
