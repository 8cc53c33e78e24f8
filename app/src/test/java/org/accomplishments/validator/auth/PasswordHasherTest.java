package org.accomplishments.validator.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String hash = PasswordHasher.hash("correct horse battery");

        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        assertTrue(PasswordHasher.verify("correct horse battery", hash));
        assertFalse(PasswordHasher.verify("correct horse batterY", hash));
        assertNotEquals(hash, PasswordHasher.hash("correct horse battery"), "a fresh salt each time");
    }

    /** RFC 9106-style PHC string as the argon2 CLI prints it: echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -e */
    @Test
    void aHashMadeWithOtherParametersByAnotherToolVerifies() {
        String fromArgon2Cli = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

        assertTrue(PasswordHasher.verify("password", fromArgon2Cli));
        assertFalse(PasswordHasher.verify("Password", fromArgon2Cli));
    }

    @Test
    void malformedOrAbusiveHashesNeverVerify() {
        assertFalse(PasswordHasher.isHash("admin"));
        assertFalse(PasswordHasher.isHash("$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"),
                "argon2i is not argon2id");
        assertFalse(PasswordHasher.isHash("$argon2id$v=19$m=9999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"),
                "a configured hash cannot make a login allocate 10 GB");
        assertFalse(PasswordHasher.verify("", null));
    }
}
