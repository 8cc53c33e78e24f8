package org.accomplishments.validator.web;

import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

final class Paging {
    static final int MAX_SIZE = 500;

    private Paging() {
    }

    static Pageable of(int page, int size, Sort sort) {
        return Pageable.from(Math.max(0, page), Math.min(MAX_SIZE, Math.max(1, size)), sort);
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static <E extends Enum<E>> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
