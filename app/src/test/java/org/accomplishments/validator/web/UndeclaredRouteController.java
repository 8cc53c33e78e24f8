package org.accomplishments.validator.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** A route someone forgot to declare an {@link Access} for: it must be closed to everyone, admins included. */
@Requires(property = "test.undeclared-route", value = "true")
@Controller("/undeclared")
class UndeclaredRouteController {
    @Get
    String secret() {
        return "reachable";
    }
}
