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
        assertTrue(SecurityFilter.allowed(curator, Access.Need.STORE));
        assertTrue(SecurityFilter.allowed(curator, Access.Need.STORE));
        assertTrue(SecurityFilter.allowed(curator, Access.Need.STORE));
        assertFalse(SecurityFilter.allowed(curator, Access.Need.OPERATE));
        assertFalse(SecurityFilter.allowed(curator, Access.Need.ADMIN_SESSION));
        assertFalse(SecurityFilter.allowed(curator, Access.Need.ISSUE));
        assertFalse(SecurityFilter.allowed(curator, Access.Need.ISSUE));
        assertTrue(SecurityFilter.allowed(curator, Access.Need.READ));
    }

    @Test
    void aStoreTokenNeedsTheWriteScopeToSubmit() {
        assertFalse(SecurityFilter.allowed(token(Role.STORE, TokenScopes.Scope.READ), Access.Need.STORE));
        assertTrue(SecurityFilter.allowed(token(Role.STORE, TokenScopes.Scope.WRITE), Access.Need.STORE));
    }

    @Test
    void issuersAndViewersCannotSubmitAdminsCanAndInstall() {
        assertFalse(SecurityFilter.allowed(session(Role.ISSUER), Access.Need.STORE));
        assertFalse(SecurityFilter.allowed(session(Role.VIEWER), Access.Need.STORE));
        assertTrue(SecurityFilter.allowed(session(Role.ADMIN), Access.Need.STORE));
        assertTrue(SecurityFilter.allowed(session(Role.ADMIN), Access.Need.OPERATE));
        assertTrue(SecurityFilter.allowed(session(Role.ADMIN), Access.Need.ADMIN_SESSION));
    }

    @Test
    void theIndexAndItsSignatureArePublic() throws Exception {
        assertTrue(need("index") == Access.Need.PUBLIC);
        assertTrue(need("signature") == Access.Need.PUBLIC);
        assertTrue(need("submit") == Access.Need.STORE); // the class's declaration
    }

    private static Access.Need need(String method) {
        for (java.lang.reflect.Method m : StoreController.class.getDeclaredMethods()) {
            if (m.getName().equals(method)) {
                Access declared = m.getAnnotation(Access.class);
                return declared != null ? declared.value() : StoreController.class.getAnnotation(Access.class).value();
            }
        }
        throw new AssertionError("no method " + method);
    }

    @Test
    void theOldRolesKeepTheirOrder() {
        assertTrue(Role.ADMIN.includes(Role.ISSUER) && Role.ADMIN.includes(Role.STORE) && Role.ISSUER.includes(Role.VIEWER));
        assertFalse(Role.ISSUER.includes(Role.ADMIN) || Role.ISSUER.includes(Role.STORE) || Role.STORE.includes(Role.ISSUER)
                || Role.VIEWER.includes(Role.ISSUER));
    }
}
