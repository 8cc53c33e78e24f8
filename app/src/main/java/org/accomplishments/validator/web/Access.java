package org.accomplishments.validator.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a route, declared where the route is: on the controller class (every route of it) or on a method
 * (which wins over its class). {@link SecurityFilter} reads it from the route the router matched; a route without
 * one is denied to everyone, so a new route is closed until someone decides who it is for.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Access {
    Need value();

    /** What the caller needs; a token also needs the scope named (README "HTTP API"). */
    enum Need {
        /** Anyone, without a session or token (health, public keys, the revocation list, login, setup). */
        PUBLIC,
        /** A session, or a token with the {@code read} scope. */
        READ,
        /** The issuer or admin role; a token also the {@code issue} scope. */
        ISSUE,
        /** The store or admin role; a token also the {@code write} scope (submitting to the collection store). */
        STORE,
        /** The admin role; a token also the {@code write} scope (operator actions of the API). */
        OPERATE,
        /** A browser session of any role (own account, logging out); never a token. */
        SESSION,
        /** An admin's browser session (users, tokens, audit log, keys, settings); never a token. */
        ADMIN_SESSION
    }
}
