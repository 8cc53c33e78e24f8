package org.accomplishments.validator.trophy;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The outcome of reading something a stranger may have written: either the value, or a precise reason why
 * it could not be read. Parsers in this package return this instead of throwing, so a malformed input is an
 * ordinary verdict and never ends a batch.
 */
public sealed interface ParseResult<T> permits ParseResult.Parsed, ParseResult.Malformed {

    record Parsed<T>(T value) implements ParseResult<T> {
        public Parsed {
            Objects.requireNonNull(value, "value");
        }
    }

    record Malformed<T>(String reason) implements ParseResult<T> {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static <T> ParseResult<T> parsed(T value) {
        return new Parsed<>(value);
    }

    static <T> ParseResult<T> malformed(String reason) {
        return new Malformed<>(reason);
    }

    default boolean isParsed() {
        return this instanceof Parsed;
    }

    default Optional<T> asOptional() {
        return this instanceof Parsed<T> p ? Optional.of(p.value()) : Optional.empty();
    }

    default Optional<String> failure() {
        return this instanceof Malformed<T> m ? Optional.of(m.reason()) : Optional.empty();
    }

    default <U> ParseResult<U> map(Function<? super T, ? extends U> mapper) {
        if (this instanceof Parsed<T> p) {
            return new Parsed<>(mapper.apply(p.value()));
        }
        return new Malformed<>(((Malformed<T>) this).reason());
    }

    default <U> ParseResult<U> flatMap(Function<? super T, ParseResult<U>> mapper) {
        if (this instanceof Parsed<T> p) {
            return mapper.apply(p.value());
        }
        return new Malformed<>(((Malformed<T>) this).reason());
    }

    /** Adds context in front of a failure reason, e.g. the file or section it came from. */
    default ParseResult<T> withContext(String context) {
        if (this instanceof Malformed<T> m) {
            return new Malformed<>(context + ": " + m.reason());
        }
        return this;
    }

    /** For callers that have already established the input is valid (tests, trusted literals). */
    default T orElseThrow() {
        if (this instanceof Parsed<T> p) {
            return p.value();
        }
        throw new IllegalStateException(((Malformed<T>) this).reason());
    }
}
