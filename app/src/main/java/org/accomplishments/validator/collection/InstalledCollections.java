package org.accomplishments.validator.collection;

import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/**
 * The collections currently installed: an immutable catalog, swapped whole on reload so a validation in progress
 * never sees half of an update. Reloaded on demand (API) and on the reload timer.
 */
@Singleton
public class InstalledCollections {
    private static final Logger LOG = LoggerFactory.getLogger(InstalledCollections.class);

    private final List<Path> roots;
    private final ApplicationEventPublisher<CatalogLoaded> events;
    private volatile AccomplishmentCatalog catalog;

    public InstalledCollections(CollectionSettings settings, ApplicationEventPublisher<CatalogLoaded> events) {
        this.events = events;
        // Absolute, because logic scripts found under them are run by absolute path.
        this.roots = settings.getPath().stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    public List<Path> roots() {
        return roots;
    }

    public AccomplishmentCatalog catalog() {
        AccomplishmentCatalog current = catalog;
        return current != null ? current : reload();
    }

    /**
     * Why nothing is validated, when nothing is: a mistyped {@code validator.collections.path} must not turn into
     * {@code unknown-accomplishment} rejections in every user's share.
     */
    public java.util.Optional<String> notValidatingBecause() {
        AccomplishmentCatalog current = catalog();
        if (current.size() > 0) {
            return java.util.Optional.empty();
        }
        String problems = current.problems().isEmpty() ? ""
                : " (" + current.problems().stream().limit(3).map(Object::toString)
                .collect(java.util.stream.Collectors.joining("; ")) + ")";
        return java.util.Optional.of("no accomplishment is loaded from validator.collections.path " + roots + problems
                + ": nothing is validated until it names an installed collection");
    }

    public synchronized AccomplishmentCatalog reload() {
        AccomplishmentCatalog loaded = new CollectionLoader().load(roots);
        AccomplishmentCatalog previous = catalog;
        catalog = loaded;
        if (previous == null || previous.size() != loaded.size() || previous.problems().size() != loaded.problems().size()) {
            LOG.info("collections loaded from {}: {} accomplishments in {} collections, {} problems", roots,
                    loaded.size(), loaded.collections().size(), loaded.problems().size());
            loaded.problems().forEach(p -> LOG.warn("collection problem: {}", p));
        }
        if (loaded.size() == 0 && (previous == null || previous.size() != 0)) {
            LOG.warn("no accomplishment is loaded from {}: nothing is validated until validator.collections.path "
                    + "names a collection ({} problems)", roots, loaded.problems().size());
        }
        // Listeners re-validate the verdicts that depended on what was loaded before (reload, timer or API alike).
        events.publishEvent(new CatalogLoaded(loaded, CatalogLoaded.fingerprintOf(loaded)));
        return loaded;
    }
}
