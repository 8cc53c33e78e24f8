package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.accomplishments.validator.storage.StorageGuard;

import java.util.Optional;

/**
 * While a disk is nearly full, awarding, bulk issuance and revocation (which write into shares, the ledger and
 * the revocation list) answer 503 with the reason, before any of their writes starts. Reads keep working. Runs
 * after {@link SecurityFilter}, so only a caller allowed to write learns why.
 */
@ServerFilter({"/issue/**", "/issue", "/issued/**", "/bulk", "/bulk/**", "/api/issued", "/api/issued/**"})
public class StorageGuardFilter implements Ordered {
    private final StorageGuard storage;

    public StorageGuardFilter(StorageGuard storage) {
        this.storage = storage;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 200;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> refuseWritesWhileDiskIsLow(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || storage.allowsWrites()) {
            return null;
        }
        Optional<String> reason = storage.pauseReason();
        String text = "503 Service Unavailable: " + reason.orElse("disk-space-low");
        if (request.getPath().startsWith("/api/")) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "60")
                    .body(new ApiViews.Message(reason.orElse("disk-space-low")));
        }
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "60")
                .contentType(MediaType.TEXT_PLAIN_TYPE).body(text);
    }
}
