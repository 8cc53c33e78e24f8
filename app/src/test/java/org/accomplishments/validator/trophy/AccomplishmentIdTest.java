package org.accomplishments.validator.trophy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AccomplishmentIdTest {

    @Test
    void aPlainIdParsesIntoCollectionAndName() {
        AccomplishmentId id = AccomplishmentId.parse("ubuntu-community/report-first-bug").orElseThrow();
        assertEquals("ubuntu-community", id.collection());
        assertEquals("report-first-bug", id.name());
        assertEquals("ubuntu-community/report-first-bug", id.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "../../etc/passwd", "ubuntu-community/../x", "a/b/c", "noslash", "/abs", "a/", "/", "",
        "a..b/c", "a/b..c", ".hidden/x", "a/.x", "-a/b", "a b/c", "a/b\n", "a\\b/c", "ä/b"})
    void idsThatCouldEscapeTheirCollectionOrAreNotFileNamesAreMalformed(String text) {
        assertFalse(AccomplishmentId.parse(text).isParsed(), text);
    }

    @Test
    void eachPartIsLimitedTo128Characters() {
        assertEquals(true, AccomplishmentId.parse("a/" + "b".repeat(128)).isParsed());
        assertFalse(AccomplishmentId.parse("a/" + "b".repeat(129)).isParsed());
    }

    @Test
    void theReasonSaysWhatIsWrong() {
        assertEquals("accomplishment id '../../etc/passwd' must be <collection>/<name> with exactly one '/'",
                AccomplishmentId.parse("../../etc/passwd").failure().orElseThrow());
        assertEquals("accomplishment id 'a/..b' contains '..'", AccomplishmentId.parse("a/..b").failure().orElseThrow());
    }

    @Test
    void constructingAnInvalidIdInCodeIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new AccomplishmentId("..", "x"));
    }
}
