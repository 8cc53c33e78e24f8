package org.accomplishments.validator;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.accomplishments.validator.collection.InstalledCollections;
import org.accomplishments.validator.schedule.JobSchedule;
import org.accomplishments.validator.schedule.ScheduleSettings;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareRegistry;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.validation.TrophyInbox;
import org.accomplishments.validator.validation.TrophyLedger;
import org.accomplishments.validator.validation.ValidationPipeline;
import org.accomplishments.validator.validation.script.LogicScriptRunner;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Brings the service up in order (key, collections, ledger, backend, timers) and then catches up with whatever
 * happened while it was down: offers, every share rescanned, due work resumed.
 */
@Singleton
public class ValidatorLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorLifecycle.class);

    private final Path dataDir;
    private final ValidationKeyring keyring;
    private final InstalledCollections collections;
    private final TrophyLedger ledger;
    private final ShareBackend backend;
    private final ShareRegistry registry;
    private final TrophyInbox inbox;
    private final ValidationPipeline pipeline;
    private final JobSchedule jobs;
    private final Scheduler scheduler;
    private final LogicScriptRunner scripts;
    private final boolean clustered;

    public ValidatorLifecycle(@Value("${validator.data-dir}") Path dataDir, ValidationKeyring keyring,
                              InstalledCollections collections, TrophyLedger ledger, ShareBackend backend,
                              ShareRegistry registry, TrophyInbox inbox, ValidationPipeline pipeline, JobSchedule jobs,
                              Scheduler scheduler, LogicScriptRunner scripts, ScheduleSettings cluster) {
        this.dataDir = dataDir;
        this.keyring = keyring;
        this.collections = collections;
        this.ledger = ledger;
        this.backend = backend;
        this.registry = registry;
        this.inbox = inbox;
        this.pipeline = pipeline;
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.scripts = scripts;
        this.clustered = cluster.isEnabled();
    }

    @jakarta.inject.Inject
    org.accomplishments.validator.storage.StorageGuard storage;

    @EventListener
    public void onStartup(StartupEvent event) throws IOException, SchedulerException {
        Files.createDirectories(dataDir);
        LOG.info("data directory {}; validation key {} ({})", dataDir.toAbsolutePath(), keyring.active().fingerprint(),
                keyring.active().algorithm());
        collections.reload();
        if (!clustered) {
            // Alone on this database: no lease or temporary file can belong to a live process.
            ledger.resumeAfterRestart();
            scripts.removeStaleWorkDirectories(Duration.ZERO);
        }
        inbox.setStartupClean(!clustered);
        backend.start(inbox);
        for (Share share : registry.accepted()) {
            backend.follow(share);
        }
        jobs.start();
        if (storage != null) {
            // After a pause for low disk space: what arrived meanwhile is found by a rescan, due work by a wake-up.
            storage.onResume(() -> {
                inbox.rescanAll(true);
                pipeline.wake();
            });
        }
        Thread catchUp = new Thread(() -> {
            try {
                inbox.acceptOffers();
            } catch (Exception e) {
                LOG.warn("accepting offers at start failed: {}; the offer timer tries again", e.getMessage());
            }
            inbox.rescanAll(true);
            pipeline.wake();
        }, "catch-up");
        catchUp.setDaemon(true);
        catchUp.start();
        LOG.info("{} share backend started; validating", backend.name());
    }

    @EventListener
    public void onShutdown(ShutdownEvent event) {
        try {
            scheduler.standby();
        } catch (SchedulerException e) {
            LOG.debug("stopping the scheduler: {}", e.getMessage());
        }
        inbox.close();
        backend.close();
        pipeline.close();
    }
}
