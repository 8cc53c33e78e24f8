package org.accomplishments.validator.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Says which certificate the service serves HTTPS with, and its SHA-256 fingerprint, once at start: with a
 * self-signed certificate (cloud-init/60-tls.yaml) that fingerprint is what an operator compares with the
 * browser's before trusting it, and the journal is where a headless instance shows it (docs/operations.md).
 */
@Context
@Requires(property = "micronaut.server.ssl.enabled", value = "true")
public class TlsCertificateLog {
    private static final Logger LOG = LoggerFactory.getLogger(TlsCertificateLog.class);

    public TlsCertificateLog(@Value("${micronaut.server.ssl.key-store.certificate-path:}") String certificatePath,
                             @Value("${micronaut.server.ssl.port:8443}") int port) {
        Optional<String> line = describe(certificatePath, port);
        line.ifPresent(LOG::info);
    }

    /** The log line for the certificate at {@code location} ({@code file:} or a plain path); empty when unset. */
    static Optional<String> describe(String location, int port) {
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(location.startsWith("file:") ? location.substring(5) : location);
        try (InputStream in = Files.newInputStream(path)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            boolean selfSigned = cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
            return Optional.of("HTTPS on port " + port + " with the " + (selfSigned ? "self-signed " : "")
                    + "certificate " + path + " for " + cert.getSubjectX500Principal().getName() + ", valid until "
                    + cert.getNotAfter().toInstant() + ", SHA-256 fingerprint " + fingerprint(cert.getEncoded()));
        } catch (IOException | CertificateException | ClassCastException e) {
            // Micronaut's own start refuses a missing or broken certificate with its reason; this is only a log line
            return Optional.of("HTTPS on port " + port + ": cannot read the certificate " + path + " (" + e + ")");
        }
    }

    /** {@code AB:CD:...}, the form openssl x509 -fingerprint -sha256 and browsers show. */
    static String fingerprint(byte[] der) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
