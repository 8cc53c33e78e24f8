package org.accomplishments.validator.auth;

import io.micronaut.core.annotation.Nullable;

/**
 * Who is asking, and through what: a browser session (which carries a CSRF token), an API token (limited to its
 * scopes) or the operator token of {@code validator.api.token}.
 *
 * @param sessionHash  the session's id hash, for sessions only
 * @param csrf         the session's CSRF token, for sessions only
 */
public record Principal(String name, Role role, IssuerScope scope, Via via, TokenScopes tokenScopes,
                        @Nullable String sessionHash, @Nullable String csrf) {

    public enum Via { SESSION, API_TOKEN, OPERATOR_TOKEN }

    /** A session may do what its role allows; a token only what both its scopes and its owner's role allow. */
    public boolean mayRead() {
        return via == Via.SESSION || tokenScopes.has(TokenScopes.Scope.READ);
    }

    public boolean mayOperate() {
        return role.includes(Role.ADMIN) && (via == Via.SESSION || tokenScopes.has(TokenScopes.Scope.WRITE));
    }

    public boolean mayIssue() {
        return role.includes(Role.ISSUER) && (via == Via.SESSION || tokenScopes.has(TokenScopes.Scope.ISSUE));
    }

    /** Submits collections to the store: the store role or an admin; a token also needs the write scope. */
    public boolean maySubmitToStore() {
        return role.includes(Role.STORE) && (via == Via.SESSION || tokenScopes.has(TokenScopes.Scope.WRITE));
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Whether this person may award (or revoke) the accomplishment: admins anything, issuers their scope. */
    public boolean mayAward(String accomplishmentId) {
        return mayIssue() && (role == Role.ADMIN || scope.allows(accomplishmentId));
    }
}
