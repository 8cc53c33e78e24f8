package org.accomplishments.validator.collection.store;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;

/** Wires the plain-Java store (publishing) and installer into the service. */
@Factory
public class StoreFactory {

    @Singleton
    CollectionStore store(@Value("${validator.data-dir}") Path dataDir, IndexSignatures signatures, StoreSettings settings) {
        return new CollectionStore(dataDir, signatures, settings.getValidity(), limits(settings),
                settings.getFetchTimeout(), Clock.systemUTC());
    }

    @Singleton
    CollectionInstaller installer(@Value("${validator.data-dir}") Path dataDir, StoreSettings settings) {
        return new CollectionInstaller(dataDir, limits(settings), settings.getFetchTimeout(), Clock.systemUTC());
    }

    public static CollectionTree.Limits limits(StoreSettings settings) {
        return new CollectionTree.Limits(settings.getMaxFiles(), settings.getMaxBytes());
    }
}
