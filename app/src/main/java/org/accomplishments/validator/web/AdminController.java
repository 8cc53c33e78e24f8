package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.audit.AuditLog;
import org.accomplishments.validator.audit.AuditRow;
import org.accomplishments.validator.auth.Accounts;
import org.accomplishments.validator.auth.ApiTokens;
import org.accomplishments.validator.auth.IssuerScope;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.auth.Role;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /admin/users} (accounts, roles, scopes, passwords, locks, everyone's tokens) and {@code /admin/audit}. */
@Access(Access.Need.ADMIN_SESSION)
@Controller("/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminController {
    static final int AUDIT_PAGE = 100;

    private final Accounts accounts;
    private final ApiTokens tokens;
    private final AuditLog audit;

    public AdminController(Accounts accounts, ApiTokens tokens, AuditLog audit) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.audit = audit;
    }

    @Get(value = "/users", produces = MediaType.TEXT_HTML)
    HttpResponse<?> users(HttpRequest<?> request) {
        return users(request, null, null, HttpStatus.OK);
    }

    @Post(value = "/users", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> create(HttpRequest<?> request, @Body Map<String, String> form) {
        Principal me = Pages.me(request);
        Optional<Role> role = Role.parse(form.get("role"));
        if (role.isEmpty()) {
            return users(request, "choose a role", null, HttpStatus.UNPROCESSABLE_ENTITY);
        }
        Optional<String> refused = accounts.create(me.name(), form.get("username"), form.get("password"), role.get(),
                IssuerScope.parse(form.get("scope")), WebRequests.remote(request));
        return refused.isPresent() ? users(request, refused.get(), null, HttpStatus.UNPROCESSABLE_ENTITY)
                : users(request, null, "Created " + form.get("username") + ".", HttpStatus.OK);
    }

    @Post(value = "/users/{name}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> change(HttpRequest<?> request, @PathVariable String name, @Body Map<String, String> form) {
        Principal me = Pages.me(request);
        Optional<Role> role = Role.parse(form.get("role"));
        if (role.isEmpty()) {
            return users(request, "choose a role", null, HttpStatus.UNPROCESSABLE_ENTITY);
        }
        Optional<String> refused = accounts.changeAccess(me.name(), name, role.get(), IssuerScope.parse(form.get("scope")),
                form.containsKey("disabled"), WebRequests.remote(request));
        return refused.isPresent() ? users(request, refused.get(), null, HttpStatus.UNPROCESSABLE_ENTITY)
                : users(request, null, "Changed " + name + ".", HttpStatus.OK);
    }

    @Post(value = "/users/{name}/password", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> password(HttpRequest<?> request, @PathVariable String name, @Body Map<String, String> form) {
        Optional<String> refused = accounts.resetPassword(Pages.me(request).name(), name, form.get("password"),
                WebRequests.remote(request));
        return refused.isPresent() ? users(request, refused.get(), null, HttpStatus.UNPROCESSABLE_ENTITY)
                : users(request, null, "Password of " + name + " set; their sessions were ended.", HttpStatus.OK);
    }

    @Post(value = "/users/{name}/unlock", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> unlock(HttpRequest<?> request, @PathVariable String name) {
        accounts.unlock(Pages.me(request).name(), name, WebRequests.remote(request));
        return users(request, null, "Unlocked " + name + ".", HttpStatus.OK);
    }

    @Post(value = "/tokens/{id}/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> revokeToken(HttpRequest<?> request, @PathVariable long id) {
        boolean revoked = tokens.revoke(Pages.me(request), id, WebRequests.remote(request));
        return users(request, revoked ? null : "token " + id + " does not exist or was revoked already",
                revoked ? "Token " + id + " revoked." : null, revoked ? HttpStatus.OK : HttpStatus.NOT_FOUND);
    }

    @Get(value = "/audit", produces = MediaType.TEXT_HTML)
    HttpResponse<?> audit(HttpRequest<?> request, @QueryValue @Nullable Long before) {
        Map<String, Object> model = Pages.model(request);
        List<AuditRow> rows = audit.page(before, AUDIT_PAGE + 1);
        boolean more = rows.size() > AUDIT_PAGE;
        List<AuditRow> page = more ? rows.subList(0, AUDIT_PAGE) : rows;
        model.put("rows", page);
        model.put("older", more ? page.get(page.size() - 1).id() : null);
        return Pages.view("audit", model);
    }

    private HttpResponse<?> users(HttpRequest<?> request, String error, String message, HttpStatus status) {
        Map<String, Object> model = Pages.model(request);
        model.put("error", error);
        model.put("message", message);
        model.put("users", accounts.all());
        model.put("roles", Arrays.stream(Role.values()).map(Role::wireName).toList());
        model.put("tokens", tokens.all());
        return Pages.view("users", model).status(status);
    }
}
