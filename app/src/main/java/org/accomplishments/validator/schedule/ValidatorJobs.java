package org.accomplishments.validator.schedule;

import jakarta.inject.Singleton;
import org.accomplishments.validator.collection.InstalledCollections;
import org.accomplishments.validator.share.ShareBackendException;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.validation.TrophyInbox;
import org.accomplishments.validator.validation.ValidationPipeline;
import org.accomplishments.validator.validation.script.LogicScriptRunner;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers that make every trophy certain to be handled, events or not. Each job is a bean (Quartz asks the
 * bean context for it) and never runs twice at once, on one node or across a cluster.
 */
public final class ValidatorJobs {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorJobs.class);

    private ValidatorJobs() {
    }

    @Singleton
    @DisallowConcurrentExecution
    public static class AcceptOffersJob implements Job {
        private final TrophyInbox inbox;

        public AcceptOffersJob(TrophyInbox inbox) {
            this.inbox = inbox;
        }

        @Override
        public void execute(JobExecutionContext context) {
            try {
                inbox.acceptOffers();
            } catch (ShareBackendException | RuntimeException e) {
                LOG.warn("accepting share offers failed: {}; trying again at the next tick", e.getMessage());
            }
        }
    }

    @Singleton
    @DisallowConcurrentExecution
    public static class RescanSharesJob implements Job {
        private final TrophyInbox inbox;

        public RescanSharesJob(TrophyInbox inbox) {
            this.inbox = inbox;
        }

        @Override
        public void execute(JobExecutionContext context) {
            TrophyInbox.Summary summary = inbox.rescanAll();
            LOG.debug("rescanned {} shares in {} ms: {} new candidates", summary.shares(), summary.took().toMillis(),
                    summary.newCandidates());
        }
    }

    @Singleton
    @DisallowConcurrentExecution
    public static class ProcessDueWorkJob implements Job {
        private final ValidationPipeline pipeline;

        public ProcessDueWorkJob(ValidationPipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void execute(JobExecutionContext context) {
            pipeline.wake();
        }
    }

    @Singleton
    @DisallowConcurrentExecution
    public static class ReloadCollectionsJob implements Job {
        private final InstalledCollections collections;
        private final ValidationPipeline pipeline;
        private final ValidationKeyring keyring;

        public ReloadCollectionsJob(InstalledCollections collections, ValidationPipeline pipeline,
                                    ValidationKeyring keyring) {
            this.collections = collections;
            this.pipeline = pipeline;
            this.keyring = keyring;
        }

        @Override
        public void execute(JobExecutionContext context) {
            collections.reload();
            keyring.reload(); // picks up `keys rotate` / `keys import` run beside the service
            pipeline.wake();
        }
    }

    /** Re-signs the published store index before it expires (or after a key rotation). */
    @Singleton
    @DisallowConcurrentExecution
    public static class ResignStoreIndexJob implements Job {
        private final org.accomplishments.validator.collection.store.CollectionStore store;

        public ResignStoreIndexJob(org.accomplishments.validator.collection.store.CollectionStore store) {
            this.store = store;
        }

        @Override
        public void execute(JobExecutionContext context) {
            try {
                if (store.resignIfDue()) {
                    LOG.info("store: index re-signed as serial {}, expires {}", store.published().index().serial(),
                            store.published().index().expires());
                }
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("store: re-signing the index failed: {}; trying again at the next tick", e.getMessage());
            }
        }
    }

    /** Picks up collections the CLI installed, updated or removed beside the running service. */
    @Singleton
    @DisallowConcurrentExecution
    public static class PickUpInstalledCollectionsJob implements Job {
        private final InstalledCollections collections;
        private final ValidationPipeline pipeline;

        public PickUpInstalledCollectionsJob(InstalledCollections collections, ValidationPipeline pipeline) {
            this.collections = collections;
            this.pipeline = pipeline;
        }

        @Override
        public void execute(JobExecutionContext context) {
            if (collections.reloadIfInstallsChanged()) {
                pipeline.wake();
            }
        }
    }

    /** {@code collections update} from {@code validator.store.index-url} with the pinned {@code key-file}. */
    @Singleton
    @DisallowConcurrentExecution
    public static class UpdateCollectionsJob implements Job {
        private final org.accomplishments.validator.collection.store.CollectionInstaller installer;
        private final org.accomplishments.validator.collection.store.StoreSettings settings;
        private final InstalledCollections collections;
        private final ValidationPipeline pipeline;

        public UpdateCollectionsJob(org.accomplishments.validator.collection.store.CollectionInstaller installer,
                                    org.accomplishments.validator.collection.store.StoreSettings settings,
                                    InstalledCollections collections, ValidationPipeline pipeline) {
            this.installer = installer;
            this.settings = settings;
            this.collections = collections;
            this.pipeline = pipeline;
        }

        @Override
        public void execute(JobExecutionContext context) {
            if (settings.getIndexUrl().isBlank() || settings.getKeyFile().isBlank()) {
                return;
            }
            try {
                var keys = org.accomplishments.validator.signing.StoreIndexSignatures.pinned(java.nio.file.Path.of(settings.getKeyFile()));
                var updated = installer.update(settings.getIndexUrl(), keys);
                updated.forEach(u -> LOG.info("store: update {} {} -> {}: {}", u.id(), u.from(), u.to(),
                        u.refused().map(Object::toString).orElse("installed")));
                if (!updated.isEmpty()) {
                    collections.reload();
                    pipeline.wake();
                }
            } catch (org.accomplishments.validator.collection.store.StoreRefusal e) {
                LOG.warn("store: update from {} refused: {}", settings.getIndexUrl(), e.reasons());
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("store: update from {} failed: {}", settings.getIndexUrl(), e.getMessage());
            }
        }
    }

    /** An online backup of the embedded database, rotated ({@code validator.backup.*}). */
    @Singleton
    @DisallowConcurrentExecution
    public static class BackupDatabaseJob implements Job {
        private final org.accomplishments.validator.storage.DatabaseBackup backup;

        public BackupDatabaseJob(org.accomplishments.validator.storage.DatabaseBackup backup) {
            this.backup = backup;
        }

        @Override
        public void execute(JobExecutionContext context) {
            try {
                backup.backupIfDue();
            } catch (java.io.IOException | java.sql.SQLException | RuntimeException e) {
                LOG.warn("backing up the database failed: {}; trying again at the next tick", e.toString());
            }
        }
    }

    /** Removes work directories of logic-script runs a crash left behind. */
    @Singleton
    @DisallowConcurrentExecution
    public static class HousekeepingJob implements Job {
        private final LogicScriptRunner scripts;

        public HousekeepingJob(LogicScriptRunner scripts) {
            this.scripts = scripts;
        }

        @Override
        public void execute(JobExecutionContext context) {
            int removed = scripts.removeStaleWorkDirectories(java.time.Duration.ofHours(1));
            if (removed > 0) {
                LOG.info("removed {} work directories left by interrupted logic-script runs", removed);
            }
        }
    }
}
