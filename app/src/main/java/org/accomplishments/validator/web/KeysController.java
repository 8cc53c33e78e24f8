package org.accomplishments.validator.web;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import org.accomplishments.validator.signing.SigningFactory;
import org.accomplishments.validator.signing.ValidationKeyring;

import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/keys}: every validation key, active and retired (retired keys stay published so trophies signed
 * before a rotation still verify); {@code GET /api/keys/current}: the active public key, armored.
 * {@code GET /api/keys/all}: all public keys in one armored block, what a verifier pins.
 */
@Access(Access.Need.PUBLIC)
@Controller("/api/keys")
public class KeysController {
    private final ValidationKeyring keyring;

    public KeysController(ValidationKeyring keyring) {
        this.keyring = keyring;
    }

    @Get
    List<ApiViews.KeyView> keys() {
        return keyring.keys().stream().map(k -> new ApiViews.KeyView(k.fingerprint(),
                SigningFactory.algorithmName(k.algorithm()), k.status().name().toLowerCase(Locale.ROOT),
                k.created(), k.retiredAt().orElse(null))).toList();
    }

    @Get("/current")
    @Produces("application/pgp-keys")
    String current() {
        return keyring.armoredActivePublicKey();
    }

    @Get("/all")
    @Produces("application/pgp-keys")
    String all() {
        return keyring.armoredAllPublicKeys();
    }
}
