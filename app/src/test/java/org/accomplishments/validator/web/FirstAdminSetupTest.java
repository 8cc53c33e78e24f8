package org.accomplishments.validator.web;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.auth.FirstAdmin;
import org.accomplishments.validator.validation.PipelineScenario;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No admin configured: a one-time setup token in the log makes the first admin, once; never a default password. */
@MicronautTest(transactional = false)
class FirstAdminSetupTest extends PipelineScenario {

    @Inject
    EmbeddedServer server;
    @Inject
    FirstAdmin firstAdmin;
    @Inject
    org.accomplishments.validator.auth.Accounts accounts;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of();
    }

    @Test
    void theSetupTokenFromTheLogMakesTheFirstAdminOnceAndNoPasswordWorksBefore() {
        WebSession browser = new WebSession("http://127.0.0.1:" + server.getPort());
        for (String guess : new String[] {"admin", "password", "changeme", ""}) {
            browser.page("/login");
            assertEquals(401, browser.post("/login", Map.of("username", "admin", "password", guess)).statusCode());
        }
        assertTrue(firstAdmin.setupOpen());
        String token = tokenFromTheLog();

        browser.page("/setup");
        HttpResponse<String> wrong = browser.post("/setup", Map.of("token", "not-it", "username", "ada",
                "password", "a-good-long-password"));
        assertEquals(400, wrong.statusCode());
        browser.page("/setup");
        HttpResponse<String> weak = browser.post("/setup", Map.of("token", token, "username", "ada", "password", "short"));
        assertEquals(400, weak.statusCode(), "a short password is refused and the token stays valid");
        browser.page("/setup");
        HttpResponse<String> made = browser.post("/setup", Map.of("token", token, "username", "ada",
                "password", "a-good-long-password"));
        assertEquals(303, made.statusCode(), made.body());

        assertFalse(firstAdmin.setupOpen());
        browser.page("/setup");
        HttpResponse<String> again = browser.post("/setup", Map.of("token", token, "username", "eve",
                "password", "a-good-long-password"));
        assertTrue(again.statusCode() == 400 || again.statusCode() == 403, "the token works once: " + again.statusCode());
        assertTrue(accounts.find("eve").isEmpty());
        browser.login("ada", "a-good-long-password");
        assertTrue(browser.page("/admin/users").contains("ada"));
    }

    /** The token as an operator reads it: from the service's log line. */
    private String tokenFromTheLog() {
        Logger logger = (Logger) LoggerFactory.getLogger(FirstAdmin.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            firstAdmin.ensure(); // prints a fresh token, as a restart would
        } finally {
            logger.detachAppender(appender);
        }
        String line = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("setup token")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("token: (\\S+)").matcher(line);
        assertTrue(m.find(), line);
        return m.group(1);
    }
}
