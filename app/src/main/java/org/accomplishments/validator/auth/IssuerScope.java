package org.accomplishments.validator.auth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an issuer may award: whole collections ({@code ubuntu-community}) or single accomplishments
 * ({@code ubuntu-community/loco-council-award}). Stored as {@code ,a,b,} so a LIKE never matches a prefix.
 */
public record IssuerScope(Set<String> entries) {
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9._-]{1,100}(/[A-Za-z0-9._-]{1,150})?");

    public IssuerScope {
        entries = Set.copyOf(entries);
    }

    public static IssuerScope parse(String text) {
        Set<String> entries = new LinkedHashSet<>();
        if (text != null) {
            Arrays.stream(text.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).forEach(entries::add);
        }
        return new IssuerScope(entries);
    }

    /** The entries that are not a collection name or an accomplishment id; empty when all are well formed. */
    public Set<String> malformed() {
        Set<String> bad = new LinkedHashSet<>();
        entries.stream().filter(e -> !ENTRY.matcher(e).matches()).forEach(bad::add);
        return bad;
    }

    /** Whether this scope names the accomplishment or its whole collection. */
    public boolean allows(String accomplishmentId) {
        int slash = accomplishmentId.indexOf('/');
        return entries.contains(accomplishmentId) || (slash > 0 && entries.contains(accomplishmentId.substring(0, slash)));
    }

    public String stored() {
        return entries.isEmpty() ? "" : "," + String.join(",", entries.stream().sorted().toList()) + ",";
    }

    public String display() {
        return String.join(", ", entries.stream().sorted().toList());
    }
}
