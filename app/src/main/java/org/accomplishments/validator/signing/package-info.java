/**
 * The validator's OpenPGP side: its keys ({@link org.accomplishments.validator.signing.ValidationKeyring}),
 * signing trophies ({@link org.accomplishments.validator.signing.TrophySigner},
 * {@link org.accomplishments.validator.signing.ClearsignSigner}) and verifying signed trophies against pinned
 * keys ({@link org.accomplishments.validator.signing.SignatureVerifier},
 * {@link org.accomplishments.validator.signing.PinnedKeys}, typed
 * {@link org.accomplishments.validator.signing.VerificationResult}s).
 *
 * <p>Interoperability drives the choices: signatures must verify with GnuPG 2.2 and Sequoia's sqop 0.27
 * (Debian 12), so keys are v4, Ed25519 in its legacy EdDSA form (algorithm 22) or RSA-3072, and digests are
 * SHA-512 or SHA-256 chosen explicitly. The algorithm rules live in one place,
 * {@link org.accomplishments.validator.signing.AlgorithmPolicy}. The interop tests run the real {@code gpg}
 * and {@code sqop}.
 *
 * <p>Plain Java with constructor parameters and no framework annotations; the service wires it up elsewhere.
 */
package org.accomplishments.validator.signing;
