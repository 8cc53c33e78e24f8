package org.accomplishments.validator.validation;

import jakarta.inject.Singleton;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.trophy.RevocationList;
import org.accomplishments.validator.trophy.SignedTrophyText;
import org.accomplishments.validator.trophy.TextDecoding;
import org.accomplishments.validator.trophy.Trophy;
import org.accomplishments.validator.trophy.TrophyRejection;
import org.accomplishments.validator.trophy.ValidationBinding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The only writer of verdict files ({@code .trophy.asc}, {@code .trophy.rejected}), used by the pipeline, the
 * rescan's reconciliation and issuing alike, so a signature is made, bound and written the same way whoever asks,
 * and only the server's own files are ever replaced or removed.
 */
@Singleton
public class VerdictWriter {
    static final long MAX_SIGNATURE_BYTES = 1024 * 1024;

    private final Signatures signatures;

    public VerdictWriter(Signatures signatures) {
        this.signatures = signatures;
    }

    /** A signature made for one share: the armored file, the key, and the digest the revocation list names it by. */
    public record Signature(String armored, String fingerprint, String signedTextSha256) {
        byte[] bytes() {
            return armored.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Signs {@code trophy} with the active key, bound to {@code share} as validated (or issued) at {@code at}. */
    public Signature sign(Share share, Trophy trophy, Instant at) {
        String owner = ValidationBinding.sanitise(share.owner());
        String[] text = new String[1];
        Signatures.Signed signed = signatures.sign(key -> text[0] = SignedTrophyText.compose(trophy,
                new ValidationBinding(share.id(), owner, at, key)));
        return new Signature(signed.armored(), signed.fingerprint(), RevocationList.digest(text[0]));
    }

    /** Writes (or writes again) the signature of the trophy at {@code trophyPath}; a rejection of older content goes. */
    public void writeSigned(ShareFolder folder, String trophyPath, Signature signature) throws IOException {
        folder.writeAtomicallyRemoving(trophyPath + ".asc", signature.bytes(), trophyPath + ".rejected");
    }

    /** Writes the rejection; a signature of ours (of an older content) goes, anyone else's stays. */
    public void writeRejected(ShareFolder folder, String trophyPath, TrophyRejection rejection) throws IOException {
        folder.writeAtomically(trophyPath + ".rejected", rejection.toFileText().getBytes(StandardCharsets.UTF_8));
        removeOwnSignature(folder, trophyPath + ".asc");
    }

    /**
     * An award: the signature first, then the {@code .trophy} (never replacing a file), so a scan in between finds a
     * signature that verifies. When the trophy cannot be created, the signature is taken back only while it is still
     * exactly the one written here: nobody removes a file someone else wrote.
     */
    public void writeAward(ShareFolder folder, String trophyPath, byte[] trophy, Signature signature)
            throws IOException {
        folder.writeAtomically(trophyPath + ".asc", signature.bytes());
        try {
            folder.createNew(trophyPath, trophy);
        } catch (IOException e) {
            removeIfStill(folder, trophyPath + ".asc", signature.bytes());
            throw e;
        }
    }

    /**
     * {@link #writeAward} for a re-issue after a revocation: the {@code .trophy} the server wrote for the revoked
     * award is replaced, only while it still holds exactly what was written ({@code revoked}); a changed file is
     * the user's and is kept ({@link java.nio.file.FileAlreadyExistsException}).
     */
    public void rewriteAward(ShareFolder folder, String trophyPath, byte[] revoked, byte[] trophy,
                             Signature signature) throws IOException {
        folder.writeAtomically(trophyPath + ".asc", signature.bytes());
        try {
            folder.replaceWritten(trophyPath, revoked, trophy);
        } catch (IOException e) {
            removeIfStill(folder, trophyPath + ".asc", signature.bytes());
            throw e;
        }
    }

    private static void removeIfStill(ShareFolder folder, String path, byte[] ours) throws IOException {
        ShareFolder.ReadResult read = folder.read(path, MAX_SIGNATURE_BYTES);
        if (read instanceof ShareFolder.ReadResult.Content content && Arrays.equals(content.bytes(), ours)) {
            folder.delete(path);
        }
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
