package org.accomplishments.validator.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an API token may do, on top of (never beyond) its owner's role: {@code read} the API, {@code write}
 * (operator actions: rescan, reload, revalidate; admins only) and {@code issue} (award and revoke trophies in the
 * owner's issuer scope).
 */
public record TokenScopes(Set<Scope> scopes) {

    public enum Scope { READ, WRITE, ISSUE }

    public TokenScopes {
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    }

    public static TokenScopes parse(String text) {
        EnumSet<Scope> set = EnumSet.noneOf(Scope.class);
        if (text != null) {
            for (String part : text.split("[,\\s]+")) {
                for (Scope s : Scope.values()) {
                    if (s.name().equalsIgnoreCase(part.strip())) {
                        set.add(s);
                    }
                }
            }
        }
        return new TokenScopes(set);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    public String stored() {
        return "," + scopes.stream().sorted().map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","))
                + ",";
    }

    public String display() {
        return scopes.stream().sorted().map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
