package org.accomplishments.validator.config;

import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenAddressGuardTest {

    @Test
    void loopbackNeedsNothing() {
        assertDoesNotThrow(() -> new ListenAddressGuard("127.0.0.1", false, false, false));
        assertDoesNotThrow(() -> new ListenAddressGuard("localhost", false, false, false));
        assertDoesNotThrow(() -> new ListenAddressGuard("::1", false, false, false));
    }

    @Test
    void anyOtherAddressWithPlainHttpIsRefusedUnlessToldToListenPublicly() {
        ConfigurationException refused = assertThrows(ConfigurationException.class,
                () -> new ListenAddressGuard("0.0.0.0", false, false, false));
        assertTrue(refused.getMessage().contains("validator.web.listen-publicly"), refused.getMessage());
        assertThrows(ConfigurationException.class, () -> new ListenAddressGuard("", false, false, false),
                "no host: Micronaut binds every address");
        assertDoesNotThrow(() -> new ListenAddressGuard("0.0.0.0", false, false, true));
    }

    @Test
    void withTlsAnyAddressIsFine() {
        assertDoesNotThrow(() -> new ListenAddressGuard("0.0.0.0", true, false, false));
        assertDoesNotThrow(() -> new ListenAddressGuard("0.0.0.0", false, true, false));
    }
}
