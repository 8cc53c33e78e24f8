package org.accomplishments.validator.trophy;

/** Flattens untrusted text to a single safe line for key-file values and logs. */
public final class OneLine {

    private OneLine() {
    }

    /**
     * Replaces control characters and Unicode line/paragraph separators with spaces, collapses runs of
     * whitespace, trims, and caps the length (ending with "..." when cut) without splitting a surrogate pair.
     */
    public static String of(String text, int maxLength) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxLength + 8));
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isBreaking(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.append(c);
            if (out.length() > maxLength) {
                break;
            }
        }
        if (out.length() <= maxLength) {
            return out.toString();
        }
        int cut = maxLength - 3;
        if (cut > 0 && Character.isHighSurrogate(out.charAt(cut - 1))) {
            cut--;
        }
        return out.substring(0, Math.max(cut, 0)).stripTrailing() + "...";
    }

    static boolean isBreaking(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
