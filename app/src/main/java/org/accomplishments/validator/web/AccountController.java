package org.accomplishments.validator.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.auth.Accounts;
import org.accomplishments.validator.auth.ApiTokens;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.auth.TokenScopes;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

/** {@code /account}: one's own password and API tokens (created, shown once, revoked). */
@Access(Access.Need.SESSION)
@Controller("/account")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccountController {
    private final Accounts accounts;
    private final ApiTokens tokens;

    public AccountController(Accounts accounts, ApiTokens tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request) {
        return page(request, null, null, null, HttpStatus.OK);
    }

    @Post(value = "/password", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> password(HttpRequest<?> request, @Body Map<String, String> form) {
        Principal me = Pages.me(request);
        if (!String.valueOf(form.get("next")).equals(String.valueOf(form.get("again")))) {
            return page(request, "the two new passwords differ", null, null, HttpStatus.UNPROCESSABLE_ENTITY);
        }
        Optional<String> refused = accounts.changeOwnPassword(me, form.get("current"), form.get("next"),
                WebRequests.remote(request));
        return refused.isPresent() ? page(request, refused.get(), null, null, HttpStatus.UNPROCESSABLE_ENTITY)
                : page(request, null, "Password changed; your other sessions were ended.", null, HttpStatus.OK);
    }

    @Post(value = "/tokens", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> createToken(HttpRequest<?> request, @Body Map<String, String> form) {
        Principal me = Pages.me(request);
        EnumSet<TokenScopes.Scope> scopes = EnumSet.noneOf(TokenScopes.Scope.class);
        if (form.containsKey("read")) {
            scopes.add(TokenScopes.Scope.READ);
        }
        if (form.containsKey("issue") && me.mayIssue()) {
            scopes.add(TokenScopes.Scope.ISSUE);
        }
        if (form.containsKey("write") && (me.isAdmin() || me.maySubmitToStore())) {
            scopes.add(TokenScopes.Scope.WRITE);
        }
        if (scopes.isEmpty()) {
            return page(request, "choose at least one scope your role allows", null, null, HttpStatus.UNPROCESSABLE_ENTITY);
        }
        ApiTokens.Created created = tokens.create(me, form.get("label"), new TokenScopes(scopes), WebRequests.remote(request));
        return page(request, null, "Token created. Copy it now: it is not shown again.", created.token(), HttpStatus.OK);
    }

    @Post(value = "/tokens/{id}/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> revokeToken(HttpRequest<?> request, @PathVariable long id) {
        boolean revoked = tokens.revoke(Pages.me(request), id, WebRequests.remote(request));
        return page(request, revoked ? null : "no such token of yours, or revoked already",
                revoked ? "Token " + id + " revoked." : null, null, revoked ? HttpStatus.OK : HttpStatus.NOT_FOUND);
    }

    private HttpResponse<?> page(HttpRequest<?> request, String error, String message, String newToken, HttpStatus status) {
        Principal me = Pages.me(request);
        Map<String, Object> model = Pages.model(request);
        model.put("error", error);
        model.put("message", message);
        model.put("newToken", newToken);
        model.put("tokens", tokens.of(me.name()));
        model.put("user", accounts.find(me.name()).orElseThrow());
        return Pages.view("account", model).status(status);
    }
}
