package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import org.accomplishments.validator.overview.ListFilter;

/**
 * The query parameters of the filtered lists and their CSV ({@code /trophies}, {@code /issued}): the filter as
 * typed and the keyset cursor ({@code before}: the last id of the previous page), bound by {@code @RequestBean}.
 */
@Introspected
record ListParams(@QueryValue @Nullable String owner, @QueryValue @Nullable String share,
                  @QueryValue @Nullable String accomplishment, @QueryValue @Nullable String reason,
                  @QueryValue @Nullable String state, @QueryValue @Nullable String from,
                  @QueryValue @Nullable String to, @QueryValue @Nullable Long before) {

    /** The filter; a time that does not parse is an {@link IllegalArgumentException} saying what is accepted. */
    ListFilter filter() {
        return ListFilter.of(owner, share, accomplishment, reason, state, from, to);
    }

    /** The filter without its time range (to show the form again around a time that did not parse). */
    ListFilter filterWithoutTimes() {
        return ListFilter.of(owner, share, accomplishment, reason, state, null, null);
    }

    /** The id to list below: {@code before}, or from the newest when absent. */
    long cursor() {
        return before == null || before <= 0 ? Long.MAX_VALUE : before;
    }
}
