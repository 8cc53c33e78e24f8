package org.accomplishments.validator.validation.script;

import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code capacity} bytes written to it and counts the rest, so a script that writes gigabytes costs
 * a fixed amount of memory. The tail is what matters: error messages and tracebacks come last.
 *
 * <p>Written by one pump thread, read after that thread has finished (or been abandoned), hence synchronized.
 */
final class TailBuffer {
    private final byte[] ring;
    private int start;   // index of the oldest kept byte
    private int size;    // kept bytes
    private long dropped;

    TailBuffer(int capacity) {
        this.ring = new byte[capacity];
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        int cap = ring.length;
        if (length >= cap) {
            // Only the last `cap` bytes of this chunk survive; everything kept so far is pushed out.
            dropped += size + (length - cap);
            System.arraycopy(bytes, offset + length - cap, ring, 0, cap);
            start = 0;
            size = cap;
            return;
        }
        int overflow = size + length - cap;
        if (overflow > 0) {
            start = (start + overflow) % cap;
            size -= overflow;
            dropped += overflow;
        }
        int end = (start + size) % cap;
        int first = Math.min(length, cap - end);
        System.arraycopy(bytes, offset, ring, end, first);
        System.arraycopy(bytes, offset + first, ring, 0, length - first);
        size += length;
    }

    synchronized byte[] bytes() {
        byte[] out = new byte[size];
        int first = Math.min(size, ring.length - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, size - first);
        return out;
    }

    synchronized long dropped() {
        return dropped;
    }

    /**
     * The kept bytes as text. Scripts may print anything (binary, Latin-1, a multi-byte character cut in half at
     * the start of the tail), so malformed input is replaced with U+FFFD rather than failing.
     */
    String text() {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes())).toString();
        } catch (CharacterCodingException impossibleWithReplace) {
            throw new IllegalStateException(impossibleWithReplace);
        }
    }
}
