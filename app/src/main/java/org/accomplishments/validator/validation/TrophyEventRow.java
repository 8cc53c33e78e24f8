package org.accomplishments.validator.validation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * The {@code trophy_event} table: the history of one trophy, append-only. {@code accomplishmentId} is the trophy's
 * accomplishment as of the change (V11), which the kept counts by accomplishment need; script runs leave it empty.
 */
@MappedEntity("trophy_event")
public record TrophyEventRow(@Id @GeneratedValue @Nullable Long id, long trophyId, Instant at, String kind,
                             String state, @Nullable Integer exitCode, @Nullable Long durationMs,
                             @Nullable String detail, @Nullable String stdoutTail, @Nullable String stderrTail,
                             @Nullable String accomplishmentId) {
}
