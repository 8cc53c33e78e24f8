package org.accomplishments.validator.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.accomplishments.validator.auth.IssuerScope;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.auth.Role;
import org.accomplishments.validator.auth.TokenScopes;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

/** The store role submits to the collection store and nothing else; only an admin also installs. */
class StoreRoleTest {

    static Principal session(Role role) {
        return new Principal("p", role, IssuerScope.parse(""), Principal.Via.SESSION,
                new TokenScopes(EnumSet.noneOf(TokenScopes.Scope.class)), "h", "c");
    }

    static Principal token(Role role, TokenScopes.Scope... scopes) {
        EnumSet<TokenScopes.Scope> set = EnumSet.noneOf(TokenScopes.Scope.class);
        set.addAll(java.util.List.of(scopes));
        return new Principal("p", role, IssuerScope.parse(""), Principal.Via.API_TOKEN, new TokenScopes(set), null, null);
    }

    @Test
    void aStoreCuratorSubmitsButNeitherIssuesNorOperatesNorInstalls() {
        Principal curator = session(Role.STORE);
        assertTrue(SecurityFilter.allowed(curator, "/api/store/submissions", false));
        assertTrue(SecurityFilter.allowed(curator, "/store", false));
        assertTrue(SecurityFilter.allowed(curator, "/store", true));
        assertFalse(SecurityFilter.allowed(curator, "/api/collections/install", false));
        assertFalse(SecurityFilter.allowed(curator, "/admin/collections", true));
        assertFalse(SecurityFilter.allowed(curator, "/issue", true));
        assertFalse(SecurityFilter.allowed(curator, "/api/issued", false));
        assertTrue(SecurityFilter.allowed(curator, "/api/status", true));
    }

    @Test
    void aStoreTokenNeedsTheWriteScopeToSubmit() {
        assertFalse(SecurityFilter.allowed(token(Role.STORE, TokenScopes.Scope.READ), "/api/store/submissions", false));
        assertTrue(SecurityFilter.allowed(token(Role.STORE, TokenScopes.Scope.WRITE), "/api/store/submissions", false));
    }

    @Test
    void issuersAndViewersCannotSubmitAdminsCanAndInstall() {
        assertFalse(SecurityFilter.allowed(session(Role.ISSUER), "/api/store/submissions", false));
        assertFalse(SecurityFilter.allowed(session(Role.VIEWER), "/store", true));
        assertTrue(SecurityFilter.allowed(session(Role.ADMIN), "/api/store/submissions", false));
        assertTrue(SecurityFilter.allowed(session(Role.ADMIN), "/api/collections/install", false));
        assertTrue(SecurityFilter.allowed(session(Role.ADMIN), "/admin/collections", true));
    }

    @Test
    void theIndexAndItsSignatureArePublic() {
        assertTrue(SecurityFilter.PUBLIC.contains("/api/store/index"));
        assertTrue(SecurityFilter.PUBLIC.contains("/api/store/index.asc"));
        assertFalse(SecurityFilter.PUBLIC.contains("/api/store/submissions"));
    }

    @Test
    void theOldRolesKeepTheirOrder() {
        assertTrue(Role.ADMIN.includes(Role.ISSUER) && Role.ADMIN.includes(Role.STORE) && Role.ISSUER.includes(Role.VIEWER));
        assertFalse(Role.ISSUER.includes(Role.ADMIN) || Role.ISSUER.includes(Role.STORE) || Role.STORE.includes(Role.ISSUER)
                || Role.VIEWER.includes(Role.ISSUER));
    }
}
