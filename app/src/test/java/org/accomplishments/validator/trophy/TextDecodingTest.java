package org.accomplishments.validator.trophy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextDecodingTest {

    @Test
    void wellFormedUtf8IsDecoded() {
        assertEquals("Jörg 🏆", TextDecoding.strictUtf8("Jörg 🏆".getBytes(StandardCharsets.UTF_8)).orElseThrow());
    }

    @Test
    void aLeadingByteOrderMarkIsDropped() {
        byte[] bytes = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '[', 'a', ']'};
        assertEquals("[a]", TextDecoding.strictUtf8(bytes).orElseThrow());
    }

    @Test
    void invalidUtf8IsRefusedWithTheByteOffset() {
        byte[] bytes = {'a', 'b', 'c', (byte) 0xC3, '(', 'd'};
        assertEquals("invalid UTF-8 at byte 3", TextDecoding.strictUtf8(bytes).failure().orElseThrow());
    }

    @Test
    void aLatin1FileIsRefused() {
        byte[] bytes = "owner = J\u00f6rg".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("invalid UTF-8 at byte 9", TextDecoding.strictUtf8(bytes).failure().orElseThrow());
    }

    @Test
    void aTruncatedSequenceAtTheEndIsRefused() {
        byte[] bytes = {'a', (byte) 0xE2, (byte) 0x82};
        assertEquals("invalid UTF-8 at byte 1", TextDecoding.strictUtf8(bytes).failure().orElseThrow());
    }

    @Test
    void overlongEncodingsAndSurrogatesAreRefused() {
        assertEquals("invalid UTF-8 at byte 0",
                TextDecoding.strictUtf8(new byte[] {(byte) 0xC0, (byte) 0xAF}).failure().orElseThrow());
        assertEquals("invalid UTF-8 at byte 0",
                TextDecoding.strictUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}).failure().orElseThrow());
    }

    @Test
    void aNulByteMeansBinaryGarbage() {
        byte[] bytes = {'[', 'a', ']', 0, 1, 2};
        assertEquals("NUL byte at byte 3 (binary data, not text)", TextDecoding.strictUtf8(bytes).failure().orElseThrow());
    }
}
