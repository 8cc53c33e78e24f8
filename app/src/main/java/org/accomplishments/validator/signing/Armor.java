package org.accomplishments.validator.signing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.bcpg.ArmoredOutputStream;

/**
 * ASCII armor (RFC 4880 section 6) read and written by this package.
 *
 * <p>Reading is done here rather than by Bouncy Castle's {@code ArmoredInputStream} because the input may be
 * hostile: this decoder is strict (known block type, {@code Key: value} headers, a blank line, base64, an
 * optional CRC-24 that must match, the matching end line), bounded, and fails with one checked exception
 * whose message can be shown to a user. Writing uses Bouncy Castle without a {@code Version:} header, and
 * always with {@code \n} line endings so that output does not depend on the platform.
 */
final class Armor {

    static final String PUBLIC_KEY = "PUBLIC KEY BLOCK";
    static final String PRIVATE_KEY = "PRIVATE KEY BLOCK";
    static final String SIGNATURE = "SIGNATURE";

    private static final int MAX_HEADERS = 32;

    private Armor() {
    }

    /** Malformed armor; the message says where. */
    static final class ArmorException extends Exception {
        ArmorException(String message) {
            super(message);
        }
    }

    /** A decoded block and the index of the line after its end line. */
    record Block(byte[] data, int nextLine) {
    }

    static String begin(String type) {
        return "-----BEGIN PGP " + type + "-----";
    }

    static String end(String type) {
        return "-----END PGP " + type + "-----";
    }

    /** Trailing spaces and tabs are not significant on armor lines (gpg tolerates them, so do we). */
    static String stripTrailingWhitespace(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }

    /** Every block of {@code type} in {@code text}; text outside blocks is ignored. */
    static List<byte[]> decodeAll(String text, String type) throws ArmorException {
        List<String> lines = text.lines().toList();
        List<byte[]> blocks = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (stripTrailingWhitespace(lines.get(i)).equals(begin(type))) {
                Block block = decode(lines, i, type);
                blocks.add(block.data());
                i = block.nextLine();
            } else {
                i++;
            }
        }
        return blocks;
    }

    /** Decodes the block whose begin line is {@code lines.get(beginLine)}. */
    static Block decode(List<String> lines, int beginLine, String type) throws ArmorException {
        int i = beginLine + 1;
        int headers = 0;
        // Armor headers (Version:, Comment:, ...) up to a blank line; their values are never trusted.
        while (true) {
            if (i >= lines.size()) {
                throw new ArmorException("the armored " + type.toLowerCase() + " ends inside its headers");
            }
            String line = stripTrailingWhitespace(lines.get(i++));
            if (line.isEmpty()) {
                break;
            }
            if (!line.matches("[A-Za-z0-9-]+: ?.*") || ++headers > MAX_HEADERS) {
                throw new ArmorException("malformed armor header line " + i + " in the " + type.toLowerCase());
            }
        }
        StringBuilder base64 = new StringBuilder();
        String crc = null;
        while (true) {
            if (i >= lines.size()) {
                throw new ArmorException("the armored " + type.toLowerCase() + " has no end line");
            }
            String line = lines.get(i++).strip();
            if (line.equals(end(type))) {
                break;
            }
            if (crc != null) {
                throw new ArmorException("text after the armor checksum, line " + i);
            }
            if (line.startsWith("=") && line.length() == 5) {
                crc = line.substring(1);
            } else if (line.matches("[A-Za-z0-9+/=]*")) {
                base64.append(line);
            } else {
                throw new ArmorException("invalid base64 on line " + i + " of the " + type.toLowerCase());
            }
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new ArmorException("invalid base64 in the " + type.toLowerCase() + ": " + e.getMessage());
        }
        if (data.length == 0) {
            throw new ArmorException("the armored " + type.toLowerCase() + " is empty");
        }
        if (crc != null) {
            byte[] expected;
            try {
                expected = Base64.getDecoder().decode(crc);
            } catch (IllegalArgumentException e) {
                throw new ArmorException("invalid armor checksum");
            }
            int sum = crc24(data);
            if (expected.length != 3 || (expected[0] & 0xff) != (sum >> 16 & 0xff)
                    || (expected[1] & 0xff) != (sum >> 8 & 0xff) || (expected[2] & 0xff) != (sum & 0xff)) {
                throw new ArmorException("the armor checksum does not match: the " + type.toLowerCase()
                        + " was damaged");
            }
        }
        return new Block(data, i);
    }

    /** RFC 4880 section 6.1. */
    static int crc24(byte[] data) {
        int crc = 0xB704CE;
        for (byte b : data) {
            crc ^= (b & 0xff) << 16;
            for (int k = 0; k < 8; k++) {
                crc <<= 1;
                if ((crc & 0x1000000) != 0) {
                    crc ^= 0x1864CFB;
                }
            }
        }
        return crc & 0xFFFFFF;
    }

    /** Armors already-encoded OpenPGP packets, without a Version header, with a CRC for old readers. */
    static String encode(Encoder encoder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().enableCRC(true).build(out)) {
            encoder.encodeTo(armored);
        } catch (IOException e) {
            throw new UncheckedIOException("armoring in memory failed", e);
        }
        return out.toString(StandardCharsets.US_ASCII).replace("\r\n", "\n");
    }

    @FunctionalInterface
    interface Encoder {
        void encodeTo(ArmoredOutputStream out) throws IOException;
    }
}
