package org.accomplishments.validator.share.syncthing;

import org.accomplishments.validator.share.ShareBackendException;

/** A REST call to Syncthing failed: no connection ({@code status} 0), or an HTTP error status. */
class SyncthingException extends ShareBackendException {
    private final int status;

    SyncthingException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** Syncthing answered 403: the API key is wrong (1.19 takes only {@code X-API-Key}). */
    boolean keyRefused() {
        return status == 403 || status == 401;
    }
}
