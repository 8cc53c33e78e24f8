package org.accomplishments.validator.cli;

import io.micronaut.core.convert.ConversionService;
import org.accomplishments.validator.collection.store.CollectionInstaller;
import org.accomplishments.validator.collection.store.CollectionTree;
import org.accomplishments.validator.collection.store.Reason;
import org.accomplishments.validator.collection.store.StoreIndex;
import org.accomplishments.validator.collection.store.StoreRefusal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code collections search|info|install|update|list|remove}: collections from a signed store index, installed into
 * {@code <data-dir>/collections/<id>}. Files only, never the database, so it runs beside the service on the same
 * data directory; the service picks a change up within {@code validator.store.pick-up-interval}.
 */
@Command(name = "collections", mixinStandardHelpOptions = true,
        description = "Search, install, update and remove collections from a signed collection-store index "
                + "(docs/collections.md). Works beside a running service; it reloads within seconds.",
        subcommands = {CollectionsCommand.Search.class, CollectionsCommand.Info.class, CollectionsCommand.Install.class,
                CollectionsCommand.Update.class, CollectionsCommand.ListInstalled.class, CollectionsCommand.Remove.class})
public class CollectionsCommand implements Callable<Integer> {
    /** Exit code of a refusal (untrusted index, rollback, hash mismatch, ...): the reason is printed. */
    static final int REFUSED = 1;

    @Override
    public Integer call() {
        picocli.CommandLine.usage(this, System.out);
        return ExitCodes.USAGE;
    }

    /** The index URL and pinned key: options first, then validator.store.index-url / key-file. */
    static class Source {
        @Option(names = "--index", paramLabel = "URL", description = "The store index (http(s)://.../api/store/index or a"
                + " file); default: validator.store.index-url.")
        String index;

        @Option(names = "--key", paramLabel = "FILE", description = "The pinned public key(s) the index must be signed"
                + " by; default: validator.store.key-file.")
        Path key;
    }

    static final class Context {
        final CollectionInstaller installer;
        final String index;
        final String keyFile;

        Context(Source source) {
            try (Settings settings = new Settings()) {
                Duration timeout = ConversionService.SHARED.convert(settings.property("validator.store.fetch-timeout", "60s"),
                        Duration.class).orElse(Duration.ofSeconds(60));
                CollectionTree.Limits limits = new CollectionTree.Limits(
                        Integer.parseInt(settings.property("validator.store.max-files", "10000")),
                        Long.parseLong(settings.property("validator.store.max-bytes", "67108864")));
                installer = new CollectionInstaller(settings.dataDir(), limits, timeout, Clock.systemUTC());
                index = source == null || source.index == null ? settings.property("validator.store.index-url", "")
                        : source.index;
                keyFile = source == null || source.key == null ? settings.property("validator.store.key-file", "")
                        : source.key.toString();
            }
        }

        String index() {
            if (index.isBlank()) {
                throw new IllegalArgumentException("no index: give --index URL or set validator.store.index-url");
            }
            return index;
        }

        org.accomplishments.validator.collection.store.IndexSignatures.Verifier keys() throws Exception {
            if (keyFile.isBlank()) {
                throw new IllegalArgumentException("no pinned key: give --key FILE or set validator.store.key-file");
            }
            return org.accomplishments.validator.signing.StoreIndexSignatures.pinned(Path.of(keyFile));
        }

        /** The cached verified index; fetched and verified first when a key is at hand or nothing is cached. */
        StoreIndex index(boolean refresh) throws Exception {
            Optional<StoreIndex> cached = installer.cached(index());
            if (!refresh && cached.isPresent()) {
                return cached.get();
            }
            if (keyFile.isBlank() && cached.isPresent()) {
                return cached.get();
            }
            return installer.refresh(index(), keys());
        }
    }

    static int refused(StoreRefusal refusal) {
        for (Reason r : refusal.reasons()) {
            System.err.println("refused: " + r.reason() + ": " + r.detail());
        }
        return REFUSED;
    }

    static String line(StoreIndex.Entry e) {
        return e.id() + "  " + e.version() + "  " + e.name() + "  (" + e.author() + ")";
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Search the index (id, name, description, author); fetched and verified"
            + " when --key (or validator.store.key-file) is given, else the last verified copy.")
    static class Search implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Source source = new Source();

        @Parameters(paramLabel = "TEXT", defaultValue = "", description = "Text to look for; empty: everything.")
        String text;

        @Override
        public Integer call() throws Exception {
            try {
                List<StoreIndex.Entry> found = new Context(source).index(true).search(text);
                found.forEach(e -> System.out.println(line(e)));
                return found.isEmpty() ? 3 : ExitCodes.GOOD;
            } catch (StoreRefusal r) {
                return refused(r);
            }
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show every version of one collection in the index.")
    static class Info implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Source source = new Source();

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            try {
                List<StoreIndex.Entry> versions = new Context(source).index(true).entries().stream()
                        .filter(e -> e.id().equals(id)).toList();
                if (versions.isEmpty()) {
                    System.err.println(id + " is not in the index");
                    return 3;
                }
                for (StoreIndex.Entry e : versions) {
                    System.out.println(e.id() + "@" + e.version() + "\n  name:        " + e.name()
                            + "\n  description: " + e.description() + "\n  author:      " + e.author()
                            + "\n  license:     " + e.license() + "\n  homepage:    " + e.homepage()
                            + "\n  source:      " + e.source() + " (" + e.ref() + ")\n  commit:      " + e.commit()
                            + "\n  sha256:      " + e.sha256() + "\n  files:       " + e.files() + " (" + e.bytes()
                            + " bytes)\n  submitted:   " + e.submittedAt());
                }
                return ExitCodes.GOOD;
            } catch (StoreRefusal r) {
                return refused(r);
            }
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true, description = "Verify the index, fetch the pinned commit, check its tree hash and install"
            + " it into <data-dir>/collections/<id> (atomically). Nothing of the collection runs.")
    static class Install implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Source source = new Source();

        @Parameters(paramLabel = "ID[@VERSION]")
        String what;

        @Override
        public Integer call() throws Exception {
            int at = what.indexOf('@');
            String id = at < 0 ? what : what.substring(0, at);
            String version = at < 0 ? null : what.substring(at + 1);
            Context context = new Context(source);
            try {
                CollectionInstaller.Installed i = context.installer.install(context.index(), context.keys(), id, version);
                System.out.println("installed " + i.id() + " " + i.version() + " (commit " + i.commit() + ", tree "
                        + i.sha256() + ")");
                return ExitCodes.GOOD;
            } catch (StoreRefusal r) {
                return refused(r);
            }
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Install the latest version of every collection installed from the index.")
    static class Update implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Source source = new Source();

        @Override
        public Integer call() throws Exception {
            Context context = new Context(source);
            try {
                List<CollectionInstaller.Updated> updated = context.installer.update(context.index(), context.keys());
                if (updated.isEmpty()) {
                    System.out.println("everything is up to date");
                }
                boolean anyRefused = false;
                for (CollectionInstaller.Updated u : updated) {
                    System.out.println(u.id() + " " + u.from() + " -> " + u.to() + ": "
                            + u.refused().map(r -> "refused: " + r).orElse("installed"));
                    anyRefused |= u.refused().isPresent();
                }
                return anyRefused ? REFUSED : ExitCodes.GOOD;
            } catch (StoreRefusal r) {
                return refused(r);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The collections installed from a store.")
    static class ListInstalled implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try {
                for (CollectionInstaller.Installed i : new Context(null).installer.list()) {
                    System.out.println(i.id() + "  " + i.version() + "  commit " + i.commit() + "  from " + i.index());
                }
                return ExitCodes.GOOD;
            } catch (StoreRefusal r) {
                return refused(r);
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a collection installed from a store.")
    static class Remove implements Callable<Integer> {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            try {
                if (!new Context(null).installer.remove(id)) {
                    System.err.println(id + " is not installed from a store");
                    return 3;
                }
                System.out.println("removed " + id);
                return ExitCodes.GOOD;
            } catch (StoreRefusal r) {
                return refused(r);
            }
        }
    }
}
