package org.accomplishments.validator.web;

import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.audit.AuditLog;
import org.accomplishments.validator.signing.KeyAlgorithm;
import org.accomplishments.validator.signing.PublishedKey;
import org.accomplishments.validator.signing.SigningFactory;
import org.accomplishments.validator.signing.ValidationKeyring;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code /admin/keys}: the validation keys and a rotation (the old key stays published as retired, so trophies
 * signed before still verify); {@code /admin/settings}: the effective settings, read-only (they come from the
 * configuration files, properties and environment, README "Configuration"), secrets masked.
 */
@Access(Access.Need.ADMIN_SESSION)
@Controller("/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminKeysController {
    private static final Pattern SECRET = Pattern.compile(".*(token|password|hash|armored|secret).*");

    private final ValidationKeyring keyring;
    private final AuditLog audit;
    private final Environment environment;

    public AdminKeysController(ValidationKeyring keyring, AuditLog audit, Environment environment) {
        this.keyring = keyring;
        this.audit = audit;
        this.environment = environment;
    }

    @Get(value = "/keys", produces = MediaType.TEXT_HTML)
    HttpResponse<?> keys(HttpRequest<?> request) {
        return page(request, null, null, HttpStatus.OK);
    }

    @Post(value = "/keys/rotate", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> rotate(HttpRequest<?> request, @Body Map<String, String> form) {
        KeyAlgorithm algorithm;
        try {
            algorithm = SigningFactory.algorithm(String.valueOf(form.get("algorithm")));
        } catch (IllegalArgumentException e) {
            return page(request, e.getMessage(), null, HttpStatus.UNPROCESSABLE_ENTITY);
        }
        String before = keyring.active().fingerprint();
        PublishedKey rotated = keyring.rotate(algorithm);
        audit.record(Pages.me(request).name(), "key-rotated", rotated.fingerprint(),
                "retired " + before + "; new " + SigningFactory.algorithmName(algorithm), WebRequests.remote(request));
        return page(request, null, "The new key " + rotated.fingerprint() + " signs from now on; " + before
                + " is retired and stays published.", HttpStatus.OK);
    }

    @Get(value = "/settings", produces = MediaType.TEXT_HTML)
    HttpResponse<?> settings(HttpRequest<?> request) {
        Map<String, Object> model = Pages.model(request);
        Map<String, String> settings = new TreeMap<>();
        for (String prefix : new String[] {"validator", "micronaut.server", "datasources.default"}) {
            environment.getProperties(prefix, StringConvention.RAW).forEach((key, value) -> {
                String name = prefix + "." + key;
                settings.put(name, SECRET.matcher(name.toLowerCase(Locale.ROOT)).matches()
                        && value != null && !String.valueOf(value).isEmpty() ? "(set, not shown)" : String.valueOf(value));
            });
        }
        model.put("settings", settings);
        return Pages.view("settings", model);
    }

    private HttpResponse<?> page(HttpRequest<?> request, String error, String message, HttpStatus status) {
        Map<String, Object> model = Pages.model(request);
        model.put("error", error);
        model.put("message", message);
        model.put("keys", keyring.keys());
        model.put("active", keyring.active().fingerprint());
        return Pages.view("keys", model).status(status);
    }
}
