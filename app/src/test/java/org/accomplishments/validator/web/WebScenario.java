package org.accomplishments.validator.web;

import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;
import org.accomplishments.validator.auth.Accounts;
import org.accomplishments.validator.auth.IssuerScope;
import org.accomplishments.validator.auth.PasswordHasher;
import org.accomplishments.validator.auth.Role;
import org.accomplishments.validator.validation.PipelineScenario;
import org.junit.jupiter.api.BeforeAll;

import java.util.HashMap;
import java.util.Map;

/**
 * The service with its web UI: the scenario collection {@code scn} with a validated accomplishment ({@code first})
 * and two human-issued ones ({@code award}, {@code medal}), a second collection {@code oth} with a human-issued
 * {@code prize}; an admin from a configured hash, an issuer limited to {@code scn/award}, a viewer.
 */
abstract class WebScenario extends PipelineScenario {
    static final String ADMIN_PASSWORD = "admin-password-1";
    static final String PASSWORD = "a-good-long-password";

    @Inject
    EmbeddedServer server;
    @Inject
    Accounts accounts;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of("first", "exit 0");
    }

    @Override
    protected Map<String, String> extraProperties() {
        accomplishment("award", null, "needs-signing = true\nhuman-issued = true\n");
        accomplishment("medal", null, "needs-signing = true\nhuman-issued = true\n");
        write(collections.resolve("accomplishments/oth/ABOUT"), "[general]\nname = Other\nlangdefault = en\n");
        write(collections.resolve("accomplishments/oth/en/prize.accomplishment"),
                "[accomplishment]\ntitle = Prize\ndescription = another collection's award\nneeds-signing = true\n"
                        + "human-issued = true\n");
        Map<String, String> p = new HashMap<>();
        p.put("validator.web.admin-name", "root");
        p.put("validator.web.admin-password-hash", PasswordHasher.hash(ADMIN_PASSWORD));
        // Every test logs in from 127.0.0.1: the per-address throttle has its own test (LoginThrottleTest).
        p.put("validator.web.login-attempts-per-minute", "10000");
        p.putAll(moreProperties());
        return p;
    }

    protected Map<String, String> moreProperties() {
        return Map.of();
    }

    @BeforeAll
    void usersExist() {
        if (accounts.find("ivy").isEmpty()) {
            accounts.create("test", "ivy", PASSWORD, Role.ISSUER, IssuerScope.parse("scn/award"), "test");
            accounts.create("test", "vic", PASSWORD, Role.VIEWER, IssuerScope.parse(""), "test");
        }
    }

    WebSession browser() {
        return new WebSession("http://127.0.0.1:" + server.getPort());
    }

    WebSession loggedIn(String name, String password) {
        WebSession session = browser();
        session.login(name, password);
        return session;
    }
}
