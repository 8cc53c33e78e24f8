package org.accomplishments.validator.collection;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;
import org.accomplishments.validator.collection.store.CollectionInstaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/**
 * The collections currently installed: an immutable catalog, swapped whole on reload so a validation in progress
 * never sees half of an update. Reloaded on demand (API) and on the reload timer.
 *
 * <p>Collections installed from a store ({@code <data-dir>/collections/<id>}, see {@code collection.store}) are roots
 * of their own, searched before the configured path, so a release installed on purpose wins over an older copy in
 * {@code /usr/share/accomplishments}. They are found again at every reload, and {@link #reloadIfInstallsChanged()}
 * notices one the CLI installed beside the running service.
 */
@Singleton
public class InstalledCollections {
    private static final Logger LOG = LoggerFactory.getLogger(InstalledCollections.class);

    private final List<Path> configuredRoots;
    private final Path storeInstalls;
    private final ApplicationEventPublisher<CatalogLoaded> events;
    private volatile List<Path> roots;
    private volatile String installedState = "";
    private volatile AccomplishmentCatalog catalog;

    public InstalledCollections(CollectionSettings settings, @Value("${validator.data-dir}") Path dataDir,
                                ApplicationEventPublisher<CatalogLoaded> events) {
        this.events = events;
        // Absolute, because logic scripts found under them are run by absolute path.
        this.configuredRoots = settings.getPath().stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.storeInstalls = dataDir.toAbsolutePath().normalize().resolve("collections");
        this.roots = configuredRoots;
    }

    public List<Path> roots() {
        return roots;
    }

    /** Reloads when a collection was installed, updated or removed from a store since the last load. */
    public boolean reloadIfInstallsChanged() {
        if (CollectionInstaller.installedState(storeInstalls).equals(installedState)) {
            return false;
        }
        reload();
        return true;
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
        String state = CollectionInstaller.installedState(storeInstalls);
        List<Path> current = new java.util.ArrayList<>(CollectionInstaller.installedRoots(storeInstalls));
        current.addAll(configuredRoots);
        roots = List.copyOf(current);
        AccomplishmentCatalog loaded = new CollectionLoader().load(roots);
        installedState = state;
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
