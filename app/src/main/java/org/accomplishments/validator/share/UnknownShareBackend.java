package org.accomplishments.validator.share;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;

/**
 * Stops the start-up with a plain sentence when {@code validator.shares.backend} names no backend, instead of
 * Micronaut's "no bean of type ShareBackend" a few layers down.
 */
// First of the eager beans: any other that needs the backend would otherwise fail before it with "no bean".
@Context
@Order(Ordered.HIGHEST_PRECEDENCE)
@Requires(property = "validator.shares.backend")
@Requires(property = "validator.shares.backend", notEquals = "local")
@Requires(property = "validator.shares.backend", notEquals = "syncdaemon")
@Requires(property = "validator.shares.backend", notEquals = "syncthing")
class UnknownShareBackend {
    UnknownShareBackend(@Value("${validator.shares.backend}") String backend) {
        throw new ConfigurationException("validator.shares.backend is '" + backend
                + "'; it must be 'local' (a folder tree), 'syncdaemon' (the sync daemon over D-Bus) or 'syncthing'"
                + " (the appliance's own Syncthing over its REST API)");
    }
}
