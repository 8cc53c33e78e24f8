package org.accomplishments.validator.share;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcceptancePolicyTest {

    record Settings(boolean acceptAll, List<String> allow, List<String> deny, String namePattern, int perOwner,
                    int files, long bytes) implements AcceptancePolicySettings {
        @Override public boolean isAcceptAll() { return acceptAll; }
        @Override public List<String> getOwnerAllow() { return allow; }
        @Override public List<String> getOwnerDeny() { return deny; }
        @Override public String getShareNamePattern() { return namePattern; }
        @Override public int getMaxSharesPerOwner() { return perOwner; }
        @Override public int getMaxFilesPerShare() { return files; }
        @Override public long getMaxBytesPerShare() { return bytes; }
    }

    static Settings defaults() {
        return new Settings(true, List.of(), List.of(), "", 0, 10_000, 64L << 20);
    }

    static ShareOffer offer(String owner, String name) {
        return new ShareOffer("id-1", owner, null, name, Path.of("/tmp/x"), false);
    }

    @Test
    void byDefaultEveryOfferIsAccepted() {
        var decision = new AcceptancePolicy(defaults()).decide(offer("alice", "Trophies"), 0, 0, 0, false);
        assertInstanceOf(AcceptancePolicy.Decision.Accept.class, decision);
    }

    @Test
    void aDeniedOwnerIsRefusedWithTheMatchingPatternAsReason() {
        var s = new Settings(true, List.of(), List.of("mallory.*"), "", 0, 10, 10);
        var decision = new AcceptancePolicy(s).decide(offer("mallory2", "Trophies"), 0, 0, 0, false);
        assertTrue(assertInstanceOf(AcceptancePolicy.Decision.Refuse.class, decision).reason().contains("mallory.*"));
    }

    @Test
    void withAcceptAllOffOnlyAllowedOwnersGetIn() {
        var s = new Settings(false, List.of("alice|bob"), List.of(), "", 0, 10, 10);
        var policy = new AcceptancePolicy(s);
        assertInstanceOf(AcceptancePolicy.Decision.Accept.class, policy.decide(offer("bob", "T"), 0, 0, 0, false));
        assertInstanceOf(AcceptancePolicy.Decision.Refuse.class, policy.decide(offer("carol", "T"), 0, 0, 0, false));
    }

    @Test
    void theShareNameMustMatchThePatternWhole() {
        var s = new Settings(true, List.of(), List.of(), ".* Trophies Folder.*", 0, 10, 10);
        var policy = new AcceptancePolicy(s);
        assertInstanceOf(AcceptancePolicy.Decision.Accept.class,
                policy.decide(offer("a", "alice Trophies Folder (2026)"), 0, 0, 0, false));
        assertInstanceOf(AcceptancePolicy.Decision.Refuse.class, policy.decide(offer("a", "Holiday photos"), 0, 0, 0, false));
    }

    @Test
    void anOwnerAtTheShareLimitIsRefused() {
        var s = new Settings(true, List.of(), List.of(), "", 2, 10, 10);
        var decision = new AcceptancePolicy(s).decide(offer("alice", "T"), 2, 0, 0, false);
        assertTrue(assertInstanceOf(AcceptancePolicy.Decision.Refuse.class, decision).reason().contains("max-shares-per-owner"));
    }

    @Test
    void aShareOverTheFileOrByteLimitIsRefused() {
        var policy = new AcceptancePolicy(new Settings(true, List.of(), List.of(), "", 0, 100, 1000));
        assertInstanceOf(AcceptancePolicy.Decision.Refuse.class, policy.decide(offer("a", "T"), 0, 101, 0, false));
        assertInstanceOf(AcceptancePolicy.Decision.Refuse.class, policy.decide(offer("a", "T"), 0, 100, 0, true));
        assertInstanceOf(AcceptancePolicy.Decision.Refuse.class, policy.decide(offer("a", "T"), 0, 1, 1001, false));
    }

    @Test
    void controlCharactersInNamesAreRefusedSinceTheyCouldForgeLinesOfASignedTrophy() {
        var decision = new AcceptancePolicy(defaults()).decide(offer("alice\nowner = bob", "T"), 0, 0, 0, false);
        assertInstanceOf(AcceptancePolicy.Decision.Refuse.class, decision);
    }

    @Test
    void anInvalidPatternIsAConfigurationErrorThatNamesTheSetting() {
        var s = new Settings(true, List.of(), List.of("(unclosed"), "", 0, 10, 10);
        var e = assertThrows(IllegalArgumentException.class, () -> new AcceptancePolicy(s));
        assertTrue(e.getMessage().contains("owner-deny"));
    }
}
