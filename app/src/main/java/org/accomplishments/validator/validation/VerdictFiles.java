package org.accomplishments.validator.validation;

import jakarta.inject.Singleton;
import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.trophy.TextDecoding;

import java.io.IOException;
import java.util.Optional;

/** The server's own files next to a trophy, and which of them it may remove. */
@Singleton
public class VerdictFiles {
    static final long MAX_SIGNATURE_BYTES = 1024 * 1024;

    private final Signatures signatures;

    public VerdictFiles(Signatures signatures) {
        this.signatures = signatures;
    }

    /**
     * Removes a signature only when it is ours (it verifies with one of our keys, active or retired). Anything else
     * in its place, a 2012 server's signature for one, is not ours to delete.
     */
    public boolean removeOwnSignature(ShareFolder folder, String ascPath) throws IOException {
        return ownSignedText(folder, ascPath).isPresent() && folder.delete(ascPath);
    }

    /** The text an {@code .asc} signs, when it is there and verifies with one of our keys. */
    public Optional<String> ownSignedText(ShareFolder folder, String ascPath) throws IOException {
        ShareFolder.ReadResult read = folder.read(ascPath, MAX_SIGNATURE_BYTES);
        if (!(read instanceof ShareFolder.ReadResult.Content content)) {
            return Optional.empty();
        }
        return TextDecoding.strictUtf8(content.bytes()).asOptional().flatMap(signatures::verifiedText);
    }
}
