package org.accomplishments.validator.trophy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * (added) The text of the revocation list the server publishes, cleartext-signed, at {@code GET /api/revocations}:
 * <pre>
 * [revocations]
 * version = 1
 * serial = 7
 * generated-at = 2026-11-21T19:22:05Z
 * key = &lt;fingerprint of the signing key&gt;
 * count = 1
 *
 * [revoked]
 * &lt;sha256 of the signed text of the .trophy.asc&gt; = &lt;revoked-at&gt; &lt;accomplishment id&gt; &lt;share id&gt;
 * </pre>
 * A signed trophy is named by the digest of the text it signs ({@link #digest}), so exactly that signature is
 * revoked: the same accomplishment awarded again later is a new signature, and a copy of the revoked one anywhere
 * is recognised. Reasons stay private to the appliance (they may name people).
 *
 * <p>{@code serial} grows with every change of the list and is never reset, so a verifier that saw serial N refuses
 * any list below N (an old list replayed, or one published by an appliance that lost its database). Lists written
 * before the serial existed have no such line: {@link Parsed#serial()} is empty for them.
 */
public final class RevocationList {
    public static final String HEADER = "[revocations]";
    public static final String ENTRIES = "[revoked]";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SERIAL = Pattern.compile("[1-9][0-9]{0,17}");

    private RevocationList() {
    }

    public record Entry(String signedTextSha256, Instant revokedAt, String accomplishmentId, String shareId) {
        public Entry {
            Objects.requireNonNull(revokedAt, "revokedAt");
            if (!HEX64.matcher(signedTextSha256).matches()) {
                throw new IllegalArgumentException("signedTextSha256 must be 64 lower-case hex digits");
            }
            if (!AccomplishmentId.parse(accomplishmentId).isParsed()) {
                throw new IllegalArgumentException("not an accomplishment id: " + accomplishmentId);
            }
            // The share id ends the line and the binding already refuses line breaks in it.
            new ValidationBinding(shareId, "x", revokedAt, "0".repeat(40));
        }
    }

    /** A list as read; {@code serial} is empty for a list of the older format, which had none. */
    public record Parsed(Instant generatedAt, String key, Optional<Long> serial, Map<String, Entry> entries) {
    }

    public static String compose(List<Entry> entries, Instant generatedAt, String keyFingerprint, long serial) {
        if (serial < 1) {
            throw new IllegalArgumentException("a revocation list's serial starts at 1");
        }
        StringBuilder text = new StringBuilder(128 + entries.size() * 160);
        text.append(HEADER).append('\n')
                .append("version = 1\n")
                .append("serial = ").append(serial).append('\n')
                .append("generated-at = ").append(generatedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append('\n')
                .append("key = ").append(keyFingerprint).append('\n')
                .append("count = ").append(entries.size()).append('\n')
                .append('\n').append(ENTRIES).append('\n');
        for (Entry e : entries) {
            text.append(e.signedTextSha256()).append(" = ").append(e.revokedAt()).append(' ')
                    .append(e.accomplishmentId()).append(' ').append(e.shareId()).append('\n');
        }
        return text.toString();
    }

    /** Reads the (verified) text of a list; malformed when any line is not as {@link #compose} writes it. */
    public static ParseResult<Parsed> parse(String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        Map<String, String> header = new LinkedHashMap<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        String section = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals(HEADER) || line.equals(ENTRIES)) {
                section = line;
                continue;
            }
            int eq = line.indexOf(" = ");
            if (section == null || eq < 0) {
                return ParseResult.malformed("line " + (i + 1) + ": not a revocation list line");
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 3);
            if (section.equals(HEADER)) {
                header.put(key, value);
                continue;
            }
            String[] parts = value.split(" ", 3);
            if (parts.length != 3) {
                return ParseResult.malformed("line " + (i + 1) + ": a revocation needs revoked-at, accomplishment and share id");
            }
            try {
                entries.put(key, new Entry(key, Instant.parse(parts[0]), parts[1], parts[2]));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                return ParseResult.malformed("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!"1".equals(header.get("version")) || !header.containsKey("generated-at") || !header.containsKey("key")) {
            return ParseResult.malformed("no [revocations] header with version = 1, generated-at and key");
        }
        Optional<Long> serial = Optional.empty();
        if (header.containsKey("serial")) {
            String value = header.get("serial");
            if (!SERIAL.matcher(value).matches()) {
                return ParseResult.malformed("serial is not a whole number from 1: " + OneLine.of(value, 40));
            }
            serial = Optional.of(Long.parseLong(value));
        }
        try {
            return ParseResult.parsed(new Parsed(Instant.parse(header.get("generated-at")), header.get("key"), serial,
                    entries));
        } catch (DateTimeParseException e) {
            return ParseResult.malformed("generated-at is not an ISO-8601 UTC instant");
        }
    }

    /**
     * The name of a signature in the list: SHA-256 over its signed text with line endings as {@code \n}, trailing
     * whitespace of each line and trailing blank lines removed (what a cleartext signature itself ignores), so the
     * server (before signing) and a verifier (after) compute the same digest.
     */
    public static String digest(String signedText) {
        String[] lines = signedText.replace("\r\n", "\n").split("\n", -1);
        StringBuilder canonical = new StringBuilder(signedText.length());
        for (String line : lines) {
            canonical.append(line.stripTrailing()).append('\n');
        }
        String text = canonical.toString();
        while (text.endsWith("\n\n")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Digests of entries, for a quick look-up. */
    public static List<String> digests(Parsed list) {
        return new ArrayList<>(list.entries().keySet());
    }
}
