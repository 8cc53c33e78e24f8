package org.accomplishments.validator.web;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: the login page opened over plain HTTP at the instance's address (the browser drops the Secure cookies
 * there) explains that and what to do, and a login posted from it comes back to that explanation instead of
 * "403 the form's CSRF token is missing or stale". From localhost, over HTTPS, or behind a TLS proxy nothing
 * changes. Raw HTTP/1.1 over a socket, because the Host header is what the browser typed.
 */
@MicronautTest(transactional = false)
class InsecureCookiesTest extends WebScenario {

    @Test
    void theLoginPageAtAPublicAddressOverPlainHttpSaysWhyLoggingInCannotWork() throws IOException {
        String page = exchange("GET /login HTTP/1.1\r\nHost: validator.example.org\r\nAccept: text/html\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(page.startsWith("HTTP/1.1 200"), page);
        assertTrue(page.contains("id=\"insecure-cookies\""), page);
        assertTrue(page.contains("https://validator.example.org/login"), "it says where to go instead");
        assertTrue(page.contains("ssh -L 8443:127.0.0.1:8443 debian@validator.example.org"), "and the tunnel");
        String setup = exchange("GET /setup HTTP/1.1\r\nHost: 203.0.113.7:8080\r\nConnection: close\r\n\r\n");
        assertTrue(setup.contains("id=\"insecure-cookies\"") && setup.contains("http://203.0.113.7/"), setup);
    }

    @Test
    void aLoginPostedWithoutTheDroppedCookieReturnsToTheExplanationNotToACsrfError() throws IOException {
        String body = "_csrf=from-the-form&username=root&password="
                + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8);
        String answer = exchange("POST /login HTTP/1.1\r\nHost: validator.example.org\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        assertTrue(answer.startsWith("HTTP/1.1 303"), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nlocation: /login?cookies=dropped\r\n"), answer);
        assertFalse(answer.contains("av_session="), "no session: nothing of the post was looked at");
        assertFalse(answer.contains("CSRF"), answer);
    }

    @Test
    void fromLocalhostOverHttpsOrBehindATlsProxyTheCookiesWorkAndTheCsrfCheckStands() throws IOException {
        String local = exchange("GET /login HTTP/1.1\r\nHost: localhost:" + server.getPort()
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(local.startsWith("HTTP/1.1 200") && !local.contains("insecure-cookies"), local);
        String proxied = exchange("GET /login HTTP/1.1\r\nHost: validator.example.org\r\nX-Forwarded-Proto: https"
                + "\r\nConnection: close\r\n\r\n");
        assertFalse(proxied.contains("insecure-cookies"), proxied);
        String body = "_csrf=forged&username=root&password=x";
        String forged = exchange("POST /login HTTP/1.1\r\nHost: 127.0.0.1:" + server.getPort() + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        assertTrue(forged.startsWith("HTTP/1.1 403") && forged.contains("CSRF token is missing or stale"), forged);
    }

    @Test
    void aHostileHostHeaderIsNeverEchoed() throws IOException {
        String page = exchange("GET /login HTTP/1.1\r\nHost: <b>evil</b>\r\nConnection: close\r\n\r\n");
        assertFalse(page.contains("<b>evil"), page);
        assertTrue(page.contains("http://this address/") || page.startsWith("HTTP/1.1 400"), page);
    }

    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
