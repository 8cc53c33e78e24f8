package org.accomplishments.validator.trophy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** ABOUT, extra-information descriptors and test vectors. */
class CollectionDescriptorsTest {

    static final String ASKUBUNTU_USER_URL = """
            [label]
            en = Ask Ubuntu Profile URL
            en_GB = Ask Ubuntu Profile URL

            [description]
            en = The URL of your profile page on Ask Ubuntu

            [example]
            en = http://askubuntu.com/users/NUMBER/USERNAME

            [regex]
            value = ^(https?://)?askubuntu.com/users/\\d+/.*
            """;

    @Test
    void anAboutFileNamesTheCollectionAndItsDefaultLanguage() {
        CollectionAbout about = CollectionAbout.parse("[general]\nname = Ubuntu Community\nlangdefault=en\n").orElseThrow();
        assertEquals("Ubuntu Community", about.name());
        assertEquals("en", about.langdefault());
    }

    @Test
    void anAboutFileNeedsNameAndLangdefault() {
        assertEquals("[general] has no langdefault", CollectionAbout.parse("[general]\nname = x\n").failure().orElseThrow());
        assertEquals("[general] has no name", CollectionAbout.parse("[general]\nlangdefault = en\n").failure().orElseThrow());
        assertEquals("no [general] section", CollectionAbout.parse("[about]\nname = x\n").failure().orElseThrow());
        assertEquals("langdefault '../en' is not a valid language name",
                CollectionAbout.parse("[general]\nname = x\nlangdefault = ../en\n").failure().orElseThrow());
    }

    @Test
    void anExtraInformationDescriptorHasLabelsDescriptionsExamplesAndARegex() {
        ExtraInformationItem item = ExtraInformationItem.parse("askubuntu-user-url", ASKUBUNTU_USER_URL).orElseThrow();
        assertEquals("askubuntu-user-url", item.name());
        assertEquals(Map.of("en", "Ask Ubuntu Profile URL", "en_gb", "Ask Ubuntu Profile URL"), item.labels());
        assertEquals("The URL of your profile page on Ask Ubuntu", item.descriptions().get("en"));
        assertEquals("http://askubuntu.com/users/NUMBER/USERNAME", item.examples().get("en"));
        assertTrue(item.regex().isPresent());
        assertEquals("Ask Ubuntu Profile URL", item.label("en_GB.UTF-8").orElseThrow());
        assertEquals("The URL of your profile page on Ask Ubuntu", item.description("de_DE").orElseThrow());
    }

    @Test
    void theRegexIsAnchoredAtTheStartOnlyLikePythonsReMatch() {
        ExtraInformationItem item = ExtraInformationItem.parse("askubuntu-user-url", ASKUBUNTU_USER_URL).orElseThrow();
        assertTrue(item.matches("http://askubuntu.com/users/123/someone"));
        assertTrue(item.matches("askubuntu.com/users/1/"));
        assertFalse(item.matches("http://evil.example/users/1/x"));
        assertFalse(item.matches("see http://askubuntu.com/users/123/someone"));
        assertFalse(item.matches("http://askubuntu.com/users/abc/someone"));

        ExtraInformationItem unanchored = ExtraInformationItem.parse("x",
                "[label]\nen=x\n[description]\nen=x\n[regex]\nvalue = [a-z]+@example\\.org\n").orElseThrow();
        assertTrue(unanchored.matches("me@example.org and more"), "re.match does not anchor at the end");
        assertFalse(unanchored.matches(" me@example.org"), "re.match anchors at the start");
    }

    @Test
    void anItemWithoutRegexAcceptsAnyReasonableValue() {
        ExtraInformationItem item = ExtraInformationItem.parse("launchpad-email",
                "[label]\nen = Launchpad Email\n[description]\nen = The email\n").orElseThrow();
        assertTrue(item.regex().isEmpty());
        assertTrue(item.matches("anything"));
        assertFalse(item.matches("x".repeat(ExtraInformationItem.MAX_MATCHED_LENGTH + 1)));
    }

    @Test
    void anInvalidRegexIsMalformed() {
        String reason = ExtraInformationItem.parse("x", "[label]\nen=x\n[description]\nen=x\n[regex]\nvalue = (unclosed\n")
                .failure().orElseThrow();
        assertTrue(reason.startsWith("[regex] value is not a valid regular expression"), reason);
    }

    @Test
    void pythonNamedGroupsAreUnderstood() {
        ExtraInformationItem item = ExtraInformationItem.parse("x",
                "[label]\nen=x\n[description]\nen=x\n[regex]\nvalue = (?P<word>[a-z]+)-(?P=word)\n").orElseThrow();
        assertTrue(item.matches("ab-ab"));
        assertFalse(item.matches("ab-cd"));
    }

    @Test
    void aDescriptorNeedsLabelAndDescription() {
        assertEquals("no [label] section", ExtraInformationItem.parse("x", "[description]\nen=x\n").failure().orElseThrow());
        assertEquals("no [description] section", ExtraInformationItem.parse("x", "[label]\nen=x\n").failure().orElseThrow());
        assertEquals("[regex] has no value",
                ExtraInformationItem.parse("x", "[label]\nen=x\n[description]\nen=x\n[regex]\n").failure().orElseThrow());
    }

    @Test
    void testVectorsGiveSuccessAndFailureValues() {
        TestVectors vectors = TestVectors.parse("[success]\nlaunchpad-email = jono@ubuntu.com\n\n[failure]\nlaunchpad-email = fail@fail.com\n")
                .orElseThrow();
        assertEquals(Map.of("launchpad-email", "jono@ubuntu.com"), vectors.success());
        assertEquals(Map.of("launchpad-email", "fail@fail.com"), vectors.failure());
        assertEquals("no [failure] section", TestVectors.parse("[success]\na=b\n").failure().orElseThrow());
    }
}
