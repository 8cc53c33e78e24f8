package org.accomplishments.validator.collection;

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
    private volatile AccomplishmentCatalog catalog;

    public InstalledCollections(CollectionSettings settings) {
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

    public synchronized AccomplishmentCatalog reload() {
        AccomplishmentCatalog loaded = new CollectionLoader().load(roots);
        AccomplishmentCatalog previous = catalog;
        catalog = loaded;
        if (previous == null || previous.size() != loaded.size() || previous.problems().size() != loaded.problems().size()) {
            LOG.info("collections loaded from {}: {} accomplishments in {} collections, {} problems", roots,
                    loaded.size(), loaded.collections().size(), loaded.problems().size());
            loaded.problems().forEach(p -> LOG.warn("collection problem: {}", p));
        }
        return loaded;
    }
}
