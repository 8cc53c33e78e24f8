package org.accomplishments.validator.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses to start plain HTTP on anything but loopback unless told to: passwords and session cookies must not
 * cross a network in clear text by accident. With {@code micronaut.server.ssl.enabled} (a certificate and key
 * configured) any address is fine; {@code validator.web.listen-publicly=true} allows plain HTTP behind a TLS proxy.
 */
@Context
public class ListenAddressGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ListenAddressGuard.class);

    public ListenAddressGuard(@Value("${micronaut.server.host:}") String host,
                              @Value("${micronaut.server.ssl.enabled:false}") boolean serverTls,
                              @Value("${micronaut.ssl.enabled:false}") boolean tls,
                              @Value("${validator.web.listen-publicly:false}") boolean listenPublicly) {
        if (serverTls || tls || isLoopback(host)) {
            return;
        }
        if (!listenPublicly) {
            throw new ConfigurationException("micronaut.server.host=" + (host.isEmpty() ? "(all addresses)" : host)
                    + " would serve logins over plain HTTP beyond this machine. Configure TLS "
                    + "(micronaut.server.ssl.enabled=true with micronaut.server.ssl.key-store.certificate-path and "
                    + "key-path, README \"Web UI\"), or set validator.web.listen-publicly=true when a TLS proxy in front "
                    + "takes care of it.");
        }
        LOG.warn("listening on {} with plain HTTP (validator.web.listen-publicly=true): put TLS in front of it",
                host.isEmpty() ? "all addresses" : host);
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false; // Micronaut binds every address when no host is set
        }
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
