package org.accomplishments.validator.signing;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;

/**
 * Produces RFC 4880 cleartext signatures with the keyring's active key: a v4 text signature (type 0x01)
 * with SHA-512 (or SHA-256), a hashed signature creation time and issuer fingerprint, and the issuer key id
 * in the unhashed area for readers that predate fingerprints.
 *
 * <p>The cleartext framing is written here, not with {@code ArmoredOutputStream.beginClearText}, so that
 * dash-escaping happens exactly once and the output is byte-for-byte predictable; only the signature block is
 * armored by Bouncy Castle. The active key is looked up on every call, so a rotation takes effect at once.
 */
public final class ClearsignSigner implements TrophySigner {

    private final ValidationKeyring keyring;
    private final SignatureHash hash;
    private final Clock clock;

    public ClearsignSigner(ValidationKeyring keyring) {
        this(keyring, SignatureHash.defaultHash(), Clock.systemUTC());
    }

    public ClearsignSigner(ValidationKeyring keyring, SignatureHash hash) {
        this(keyring, hash, Clock.systemUTC());
    }

    public ClearsignSigner(ValidationKeyring keyring, SignatureHash hash, Clock clock) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
        this.hash = Objects.requireNonNull(hash, "hash");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public SignedText sign(String text) {
        return sign(keyring.active(), text);
    }

    /**
     * Signs with a key taken from {@link ValidationKeyring#active()} earlier. For a text that names its own
     * signing key (the {@code [validation] key =} line): take the key once, write its fingerprint into the text,
     * sign with that same key, so a rotation in between cannot make the text name another key than the
     * signature. A retired key still signs here; callers that care compare with {@code keyring.active()}.
     */
    public SignedText sign(SigningKey key, String text) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(text, "text");
        List<String> lines = Cleartext.bodyLinesToSign(text);
        // OpenPGP times are whole seconds; truncating here makes signedAt equal what verifiers report.
        Date createdAt = new Date(clock.instant().getEpochSecond() * 1000L);
        PGPSignature signature;
        try {
            PGPSignatureGenerator generator = OpenPgp.signatureGenerator(key, hash, PGPSignature.CANONICAL_TEXT_DOCUMENT, createdAt);
            generator.update(Cleartext.canonical(lines));
            signature = generator.generate();
        } catch (PGPException e) {
            // Only a broken key or a missing algorithm gets here; nothing a caller could fix by retrying.
            throw new IllegalStateException("signing with " + key + " failed: " + e.getMessage(), e);
        }

        StringBuilder out = new StringBuilder(text.length() + 512)
                .append(Cleartext.BEGIN_MESSAGE).append('\n')
                .append("Hash: ").append(hash.armorName()).append('\n')
                .append('\n');
        for (String line : lines) {
            out.append(Cleartext.dashEscape(line)).append('\n');
        }
        PGPSignature finished = signature;
        out.append(Armor.encode(finished::encode));
        return new SignedText(out.toString(), key.fingerprint(), Instant.ofEpochMilli(createdAt.getTime()), hash,
                Cleartext.presented(lines));
    }

    @Override
    public String toString() {
        return "ClearsignSigner[" + hash + ", " + keyring + "]";
    }
}
