package org.accomplishments.validator.trophy;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns bytes from a file into text without guessing: only well-formed UTF-8 is accepted, because a lenient
 * decoder would replace bad bytes with U+FFFD and the server would then sign text the user never wrote.
 */
public final class TextDecoding {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private TextDecoding() {
    }

    /**
     * Decodes strict UTF-8. A leading byte-order mark is dropped (some editors add one); a NUL byte is refused
     * because no text format here contains one and it usually means a binary file.
     */
    public static ParseResult<String> strictUtf8(byte[] bytes) {
        int start = startsWithBom(bytes) ? BOM.length : 0;
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return ParseResult.malformed("NUL byte at byte " + i + " (binary data, not text)");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            return ParseResult.malformed("invalid UTF-8 at byte " + in.position());
        }
        result = decoder.flush(out);
        if (result.isError()) {
            return ParseResult.malformed("invalid UTF-8 at byte " + in.position());
        }
        out.flip();
        return ParseResult.parsed(out.toString());
    }

    private static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2];
    }
}
