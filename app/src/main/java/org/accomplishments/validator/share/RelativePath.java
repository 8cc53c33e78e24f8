package org.accomplishments.validator.share;

import java.util.List;

/** A path inside a share, as the ledger and the API spell it: '/'-separated, no '.', '..' or empty parts. */
public final class RelativePath {
    public static final int MAX_LENGTH = 1024;

    private RelativePath() {
    }

    public static List<String> split(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("bad path inside a share: length");
        }
        if (path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad path inside a share: " + printable(path));
        }
        List<String> parts = List.of(path.split("/", -1));
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("bad path inside a share: " + printable(path));
            }
        }
        return parts;
    }

    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
