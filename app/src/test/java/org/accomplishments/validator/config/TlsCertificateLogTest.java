package org.accomplishments.validator.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsCertificateLogTest {

    @Test
    void aSelfSignedCertificateIsLoggedWithTheFingerprintOpensslShows(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "2", "-subj", "/CN=validator-test", "-keyout", dir.resolve("key.pem").toString(),
                "-out", cert.toString());
        String openssl = run(dir, "openssl", "x509", "-in", cert.toString(), "-noout", "-fingerprint", "-sha256");
        String expected = openssl.substring(openssl.indexOf('=') + 1).strip();

        String line = TlsCertificateLog.describe("file:" + cert, 8443).orElseThrow();

        assertTrue(line.startsWith("HTTPS on port 8443 with the self-signed certificate " + cert), line);
        assertTrue(line.contains("CN=validator-test"), line);
        assertTrue(line.endsWith("SHA-256 fingerprint " + expected), line + " / openssl: " + expected);
    }

    @Test
    void anUnreadableCertificateIsSaidSoAndNoPathNothing(@TempDir Path dir) {
        assertTrue(TlsCertificateLog.describe(dir.resolve("missing.pem").toString(), 8443).orElseThrow()
                .contains("cannot read the certificate"));
        assertEquals(java.util.Optional.empty(), TlsCertificateLog.describe("", 8443));
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return out;
    }
}
