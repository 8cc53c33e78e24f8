package org.accomplishments.validator.cli;

import org.accomplishments.validator.signing.PinnedKeys;
import org.accomplishments.validator.signing.SignatureVerifier;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.signing.VerificationResult;
import org.accomplishments.validator.trophy.KeyFile;
import org.accomplishments.validator.trophy.ParseResult;
import org.accomplishments.validator.trophy.RevocationList;
import org.accomplishments.validator.trophy.SignedTrophy;
import org.accomplishments.validator.trophy.SignedTrophyText;
import org.accomplishments.validator.trophy.TextDecoding;
import org.accomplishments.validator.trophy.TrophyComparison;
import org.accomplishments.validator.trophy.ValidationBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Checks a signed trophy the way a client should: a good signature by a pinned validation key (never "any key in
 * the keyring"), the signed [trophy] section equal to the {@code .trophy} beside it key by key, and, when the
 * caller says whom it expects, the [validation] binding's share id and owner.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify a .trophy.asc against a pinned key and the .trophy beside it.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:good signature by a pinned key, trophy matches (and binding, when asked)",
                "1:not a good signature by a pinned key", "2:the .trophy beside it is missing or differs",
                "3:share id or owner differs from the expected one, or the file carries no binding",
                "4:revoked: the signature is in the --revocations list",
                "5:the revocation list is older than --min-serial or the --revocations-state file allows",
                "64:usage error", "66:a file cannot be read"})
public class VerifyCommand implements Callable<Integer> {

    @Option(names = "--key", paramLabel = "FILE", description = "Public key(s) to pin, armored or binary. "
            + "Default: all keys (active and retired) of this server's data directory.")
    Path key;

    @Option(names = "--share-id", paramLabel = "ID", description = "The share id the trophy must be bound to.")
    String shareId;

    @Option(names = "--owner", paramLabel = "NAME", description = "The owner the trophy must be bound to.")
    String owner;

    @Option(names = "--trophy", paramLabel = "FILE", description = "The trophy to compare with. "
            + "Default: the file name without .asc.")
    Path trophy;

    @Option(names = "--revocations", paramLabel = "FILE", description = "The server's signed revocation list "
            + "(GET /api/revocations); it must verify with the pinned key(s). A signature named in it is revoked.")
    Path revocations;

    @Option(names = "--min-serial", paramLabel = "N", description = "Refuse a --revocations list whose serial is "
            + "below N (exit 5), or that carries no serial (a list of the older format).")
    Long minSerial;

    @Option(names = "--revocations-state", paramLabel = "FILE", description = "Remembers the highest revocation "
            + "list serial seen in FILE (created when missing, written atomically) and refuses a lower one (exit 5), "
            + "so an old list replayed later is not taken for the current one.")
    Path revocationsState;

    @Parameters(paramLabel = "FILE.trophy.asc")
    Path signed;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if ((minSerial != null || revocationsState != null) && revocations == null) {
            err.println("--min-serial and --revocations-state compare a revocation list: give it with --revocations");
            return ExitCodes.USAGE;
        }
        if (minSerial != null && minSerial < 1) {
            err.println("--min-serial must be 1 or more (serials start at 1)");
            return ExitCodes.USAGE;
        }
        PinnedKeys keys;
        try {
            keys = key != null ? PinnedKeys.load(key) : localKeys();
        } catch (IOException | RuntimeException e) {
            err.println("cannot read the pinned key: " + e.getMessage());
            return ExitCodes.NO_INPUT;
        }
        byte[] armored;
        try {
            armored = Files.readAllBytes(signed);
        } catch (IOException e) {
            err.println("cannot read " + signed + ": " + e.getMessage());
            return ExitCodes.NO_INPUT;
        }
        VerificationResult result = new SignatureVerifier().verify(armored, keys);
        if (!(result instanceof VerificationResult.Good good)) {
            out.println("BAD: " + describe(result));
            return ExitCodes.BAD_SIGNATURE;
        }
        ParseResult<SignedTrophy> parsed = SignedTrophyText.parse(good.signedText());
        if (parsed instanceof ParseResult.Malformed<SignedTrophy> malformed) {
            out.println("BAD: the signed text is not a trophy: " + malformed.reason());
            return ExitCodes.TROPHY_MISMATCH;
        }
        SignedTrophy signedTrophy = parsed.orElseThrow();
        Path trophyFile = trophy != null ? trophy : besideTrophy(signed);
        Optional<Map<String, String>> onDisk;
        try {
            onDisk = trophyEntries(trophyFile);
        } catch (IOException e) {
            out.println("MISMATCH: cannot read the trophy " + trophyFile + ": " + e.getMessage());
            return ExitCodes.TROPHY_MISMATCH;
        }
        if (onDisk.isEmpty()) {
            out.println("MISMATCH: " + trophyFile + " is not a key file with a [trophy] section");
            return ExitCodes.TROPHY_MISMATCH;
        }
        List<TrophyComparison.Difference> differences = TrophyComparison.compare(signedTrophy.trophyEntries(),
                onDisk.get());
        if (!differences.isEmpty()) {
            out.println("MISMATCH: the signed trophy differs from " + trophyFile + ":");
            differences.forEach(d -> out.println("  " + d.describe()));
            return ExitCodes.TROPHY_MISMATCH;
        }
        String signer = "signed by " + good.fingerprint() + " at " + good.signedAt() + " (" + good.hashAlgorithm() + ")";
        if (signedTrophy.binding().isEmpty()) {
            if (shareId != null || owner != null) {
                out.println("UNBOUND: good signature, " + signer + ", but the file carries no [validation] binding "
                        + "(a 2012-style signature): it cannot prove which share it was validated for");
                return ExitCodes.BINDING_MISMATCH;
            }
            out.println("GOOD: " + signer + "; trophy matches; note: no [validation] section, so this signature "
                    + "carries no share binding");
            return ExitCodes.GOOD;
        }
        ValidationBinding binding = signedTrophy.binding().get();
        if (revocations != null) {
            Integer revoked = checkRevocations(keys, good.signedText(), out, err);
            if (revoked != null) {
                return revoked;
            }
        }
        if (shareId != null && !shareId.equals(binding.shareId())) {
            out.println("WRONG SHARE: bound to share " + binding.shareId() + ", expected " + shareId);
            return ExitCodes.BINDING_MISMATCH;
        }
        if (owner != null && !owner.equals(binding.owner())) {
            out.println("WRONG OWNER: bound to owner " + binding.owner() + ", expected " + owner);
            return ExitCodes.BINDING_MISMATCH;
        }
        out.println("GOOD: " + signer + "; trophy matches; validated " + binding.validatedAt() + " for share "
                + binding.shareId() + " of " + binding.owner());
        return ExitCodes.GOOD;
    }

    /** Null when the list is good and does not name this signature; otherwise the exit code, with a message. */
    private Integer checkRevocations(PinnedKeys keys, String signedText, PrintStream out, PrintStream err) {
        byte[] list;
        try {
            if (Files.size(revocations) > 64L * 1024 * 1024) {
                err.println("the revocation list " + revocations + " is larger than 64 MiB");
                return ExitCodes.NO_INPUT;
            }
            list = Files.readAllBytes(revocations);
        } catch (IOException e) {
            err.println("cannot read " + revocations + ": " + e.getMessage());
            return ExitCodes.NO_INPUT;
        }
        // The list is as trustworthy as its signature: it must be made by a pinned key, like the trophy.
        VerificationResult listResult = new SignatureVerifier().verify(list, keys);
        if (!(listResult instanceof VerificationResult.Good goodList)) {
            out.println("BAD: the revocation list is not good: " + describe(listResult));
            return ExitCodes.BAD_SIGNATURE;
        }
        ParseResult<RevocationList.Parsed> parsed = RevocationList.parse(goodList.signedText());
        if (parsed instanceof ParseResult.Malformed<RevocationList.Parsed> malformed) {
            out.println("BAD: the revocation list is malformed: " + malformed.reason());
            return ExitCodes.BAD_SIGNATURE;
        }
        Integer stale = checkSerial(parsed.orElseThrow(), out, err);
        if (stale != null) {
            return stale;
        }
        RevocationList.Entry entry = parsed.orElseThrow().entries().get(RevocationList.digest(signedText));
        if (entry != null) {
            out.println("REVOKED: " + entry.accomplishmentId() + " for share " + entry.shareId() + " was revoked at "
                    + entry.revokedAt() + " (list of " + parsed.orElseThrow().generatedAt() + ")");
            return ExitCodes.REVOKED;
        }
        return null;
    }

    /**
     * Null when the list is at least as new as every one this caller knows of (and the state file, if any, now says
     * so); otherwise the exit code, with a message. A list without a serial (the older format) passes only when
     * there is nothing to compare it with.
     */
    private Integer checkSerial(RevocationList.Parsed list, PrintStream out, PrintStream err) {
        long floor = minSerial == null ? 0 : minSerial;
        String from = minSerial == null ? null : "--min-serial " + minSerial;
        if (revocationsState != null && Files.exists(revocationsState)) {
            try {
                String stored = Files.readString(revocationsState, StandardCharsets.US_ASCII).strip();
                long seen = Long.parseLong(stored);
                if (seen > floor) {
                    floor = seen;
                    from = "serial " + seen + " seen before (" + revocationsState + ")";
                }
            } catch (IOException | NumberFormatException e) {
                err.println("cannot read the revocation state " + revocationsState + ": " + e.getMessage()
                        + " (it holds the highest serial seen, one number)");
                return ExitCodes.NO_INPUT;
            }
        }
        if (list.serial().isEmpty()) {
            if (floor > 0) {
                out.println("STALE: the revocation list carries no serial (the older format), so it cannot be shown "
                        + "to be at least as new as " + from);
                return ExitCodes.STALE_REVOCATIONS;
            }
            err.println("note: the revocation list carries no serial (the older format); it is not compared");
            return null;
        }
        long serial = list.serial().get();
        if (serial < floor) {
            out.println("STALE: the revocation list has serial " + serial + " (generated " + list.generatedAt()
                    + "), older than " + from + "; fetch the current list");
            return ExitCodes.STALE_REVOCATIONS;
        }
        if (revocationsState != null && serial > floor) {
            try {
                remember(revocationsState, serial);
            } catch (IOException e) {
                err.println("cannot write the revocation state " + revocationsState + ": " + e.getMessage());
                return ExitCodes.FAILURE;
            }
        }
        return null;
    }

    /** Writes the serial atomically: a temporary file beside it, flushed, then renamed over it. */
    private static void remember(Path state, long serial) throws IOException {
        Path dir = state.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(dir, "." + state.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, serial + "\n", StandardCharsets.US_ASCII);
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temporary,
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, state, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static PinnedKeys localKeys() {
        try (Settings settings = new Settings()) {
            Path dir = settings.keysDir();
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("no --key given and no key store at " + dir);
            }
            return ValidationKeyring.open(dir, settings.keyringSettings()).pinnedKeys();
        }
    }

    private static Path besideTrophy(Path asc) {
        String name = asc.getFileName().toString();
        String trophyName = name.endsWith(".asc") ? name.substring(0, name.length() - 4) : name + ".trophy";
        return asc.resolveSibling(trophyName);
    }

    private static Optional<Map<String, String>> trophyEntries(Path file) throws IOException {
        if (Files.size(file) > 1024 * 1024) {
            return Optional.empty();
        }
        ParseResult<String> text = TextDecoding.strictUtf8(Files.readAllBytes(file));
        return text.asOptional().flatMap(t -> KeyFile.parse(t).asOptional())
                .flatMap(k -> k.section("trophy")).map(KeyFile.Section::entries);
    }

    private static String describe(VerificationResult result) {
        if (result instanceof VerificationResult.UnknownKey unknown) {
            return "made by key " + unknown.keyIdHex() + ", which is not a pinned key";
        }
        if (result instanceof VerificationResult.BadSignature bad) {
            return "the signature does not match the text (" + bad.detail() + ")";
        }
        if (result instanceof VerificationResult.WeakHash weak) {
            return "signed with " + weak.algorithm() + ", which is not accepted";
        }
        if (result instanceof VerificationResult.WeakKey weak) {
            return "key " + weak.fingerprint() + " is too weak: " + weak.detail();
        }
        if (result instanceof VerificationResult.NotCleartextSigned not) {
            return "not an OpenPGP cleartext-signed file: " + not.detail();
        }
        if (result instanceof VerificationResult.TooLarge large) {
            return "the file is larger than " + large.limit() + " bytes";
        }
        return result.toString();
    }
}
