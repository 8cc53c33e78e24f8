package org.accomplishments.validator.signing;

/**
 * The validation keyring cannot be opened or changed: unreadable or unsafe key files, a key that cannot be
 * used (passphrase-protected, wrong algorithm), or an I/O failure while persisting. The message says what
 * the operator should do; the service must not start without a usable key.
 */
public class KeyringException extends RuntimeException {
    public KeyringException(String message) {
        super(message);
    }

    public KeyringException(String message, Throwable cause) {
        super(message, cause);
    }
}
