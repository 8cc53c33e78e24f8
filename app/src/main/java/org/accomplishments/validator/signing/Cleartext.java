package org.accomplishments.validator.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The text rules of the cleartext signature framework (RFC 4880 section 7), shared by signer and verifier.
 *
 * <p>The body of a cleartext message is a list of lines. What is signed is those lines with trailing spaces
 * and tabs removed, joined with CR LF, <em>without</em> a line ending after the last line: the line break
 * before {@code -----BEGIN PGP SIGNATURE-----} belongs to the framing. gpg and sqop present the signed text
 * as every line followed by {@code \n}; so do we. A text ending in {@code \n} (every trophy does) therefore
 * round-trips exactly: {@code "a\nb\n"} becomes the body lines {@code a}, {@code b}, and reads back as
 * {@code "a\nb\n"}.
 */
final class Cleartext {

    static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
    static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";

    private static final int MAX_HEADERS = 8;

    /** A cleartext message taken apart: the {@code Hash:} header names, the unescaped body, the signature bytes. */
    record Parsed(List<String> hashNames, List<String> bodyLines, byte[] signature) {
    }

    /**
     * Takes a cleartext-signed message apart, strictly: the begin line first (blank lines before it are
     * tolerated), only {@code Hash:} headers, every body line starting with '-' dash-escaped, one signature
     * block, nothing but blank lines after it. Text outside the signed part is refused rather than ignored,
     * so that no reader can be shown words the signature does not cover.
     */
    static Parsed parse(String message) throws Armor.ArmorException {
        String[] raw = message.split("\n", -1);
        List<String> lines = new ArrayList<>(raw.length);
        for (String line : raw) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        int i = 0;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        if (i >= lines.size() || !stripTrailingWhitespace(lines.get(i)).equals(BEGIN_MESSAGE)) {
            throw new Armor.ArmorException("does not start with " + BEGIN_MESSAGE);
        }
        i++;
        List<String> hashNames = new ArrayList<>();
        int headers = 0;
        while (true) {
            if (i >= lines.size()) {
                throw new Armor.ArmorException("ends inside the armor headers");
            }
            String line = stripTrailingWhitespace(lines.get(i++));
            if (line.isEmpty()) {
                break;
            }
            if (++headers > MAX_HEADERS || !line.startsWith("Hash: ")) {
                throw new Armor.ArmorException("unexpected armor header on line " + i + " (only Hash: is allowed)");
            }
            for (String name : line.substring("Hash: ".length()).split(",")) {
                hashNames.add(name.strip().toUpperCase(java.util.Locale.ROOT));
            }
        }
        List<String> body = new ArrayList<>();
        while (true) {
            if (i >= lines.size()) {
                throw new Armor.ArmorException("has no signature (truncated?)");
            }
            String line = lines.get(i++);
            if (stripTrailingWhitespace(line).equals(BEGIN_SIGNATURE)) {
                break;
            }
            if (line.startsWith("- ")) {
                body.add(line.substring(2));
            } else if (line.startsWith("-")) {
                throw new Armor.ArmorException("line " + i + " starts with '-' but is not dash-escaped");
            } else {
                body.add(line);
            }
        }
        Armor.Block block = Armor.decode(lines, i - 1, Armor.SIGNATURE);
        for (int rest = block.nextLine(); rest < lines.size(); rest++) {
            if (!lines.get(rest).isBlank()) {
                throw new Armor.ArmorException("text after the signature, line " + (rest + 1));
            }
        }
        return new Parsed(List.copyOf(hashNames), List.copyOf(body), block.data());
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private Cleartext() {
    }

    /**
     * The body lines for a text to sign: line endings normalised to {@code \n} (CR LF and lone CR alike),
     * the final line ending dropped, trailing whitespace removed. Removing it in the output too keeps what a
     * reader sees identical to what is signed.
     */
    static List<String> bodyLinesToSign(String text) {
        String normalised = text.replace("\r\n", "\n").replace('\r', '\n');
        if (normalised.endsWith("\n")) {
            normalised = normalised.substring(0, normalised.length() - 1);
        }
        if (normalised.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(normalised.split("\n", -1)).map(Cleartext::stripTrailingWhitespace).toList();
    }

    /** RFC 4880 section 7.1: only spaces and tabs count as trailing whitespace. */
    static String stripTrailingWhitespace(String line) {
        return Armor.stripTrailingWhitespace(line);
    }

    /**
     * Dash-escaping: a line starting with '-' gets "- " in front so it cannot be mistaken for an armor line.
     * "From " lines are escaped too, as gpg does, so that mail software does not mangle them into ">From ".
     */
    static String dashEscape(String line) {
        return line.startsWith("-") || line.startsWith("From ") ? "- " + line : line;
    }

    /** The bytes a text signature is computed over. */
    static byte[] canonical(List<String> bodyLines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bodyLines.size(); i++) {
            if (i > 0) {
                out.writeBytes(CRLF);
            }
            out.writeBytes(stripTrailingWhitespace(bodyLines.get(i)).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** The signed text as gpg and sqop print it: every line followed by \n. */
    static String presented(List<String> bodyLines) {
        StringBuilder text = new StringBuilder();
        for (String line : bodyLines) {
            text.append(stripTrailingWhitespace(line)).append('\n');
        }
        return text.toString();
    }
}
