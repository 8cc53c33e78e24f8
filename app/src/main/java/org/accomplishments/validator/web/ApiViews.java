package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import org.accomplishments.validator.collection.AccomplishmentCatalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the REST API (documented in README.md, "HTTP API"). */
final class ApiViews {
    private ApiViews() {
    }

    @Serdeable
    record Status(Map<String, Long> trophies, Map<String, Long> shares, @Nullable Instant lastScan,
                  @Nullable Long lastScanMillis, int inFlight, Key key, Backend backend, Collections collections) {
    }

    @Serdeable
    record Key(String fingerprint, String algorithm, @Nullable Instant created) {
    }

    @Serdeable
    record Backend(String name, boolean up, String detail) {
    }

    @Serdeable
    record Collections(List<String> roots, int accomplishments, int collections, List<String> problems,
                       @Nullable Instant loadedAt, boolean validating, @Nullable String notValidatingBecause) {
        static Collections of(org.accomplishments.validator.collection.InstalledCollections installed,
                              AccomplishmentCatalog catalog) {
            String why = installed.notValidatingBecause().orElse(null);
            return new Collections(installed.roots().stream().map(Object::toString).toList(), catalog.size(),
                    catalog.collections().size(), catalog.problems().stream().map(Object::toString).toList(),
                    catalog.loadedAt(), why == null, why);
        }
    }

    @Serdeable
    record RevalidationFilter(@Nullable String reason, @Nullable String collection, @Nullable String share,
                              @Nullable List<String> states) {
    }

    @Serdeable
    record Revalidation(int queued, String filter) {
    }

    @Serdeable
    record ShareView(String id, String backend, String owner, @Nullable String visibleName, String name,
                     String folder, String state, @Nullable String reason, Instant offeredAt,
                     @Nullable Instant decidedAt, @Nullable Integer fileCount, @Nullable Long byteCount) {
    }

    @Serdeable
    record TrophyView(long id, String shareId, String path, String sha256, long size,
                      @Nullable String accomplishmentId, String state, int attempts, int notYetCount,
                      int errorCount, int dependencyWaits, @Nullable Instant nextAttemptAt, @Nullable String reason,
                      @Nullable String detail, @Nullable String signedBy, Instant firstSeenAt, Instant updatedAt,
                      @Nullable Instant verdictAt) {
    }

    @Serdeable
    record EventView(Instant at, String kind, String state, @Nullable Integer exitCode, @Nullable Long durationMs,
                     @Nullable String detail, @Nullable String stdoutTail, @Nullable String stderrTail) {
    }

    @Serdeable
    record TrophyDetail(TrophyView trophy, List<EventView> history) {
    }

    @Serdeable
    record Page<T>(List<T> items, int page, int size, long total) {
    }

    @Serdeable
    record KeyView(String fingerprint, String algorithm, String status, Instant created, @Nullable Instant retiredAt) {
    }

    @Serdeable
    record Message(String message) {
    }
}
