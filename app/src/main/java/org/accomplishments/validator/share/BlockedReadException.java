package org.accomplishments.validator.share;

import java.io.IOException;

/** A read inside a share did not finish in time; the share should no longer be trusted with reads. */
public class BlockedReadException extends IOException {
    public BlockedReadException(String message) {
        super(message);
    }
}
