package org.accomplishments.validator.schedule;

import jakarta.inject.Singleton;
import org.accomplishments.validator.collection.CollectionSettings;
import org.accomplishments.validator.share.ShareSettings;
import org.accomplishments.validator.validation.ValidationSettings;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

import java.time.Duration;
import java.util.Set;

/** Puts the timers into Quartz with the configured intervals (replacing those of an earlier run) and starts it. */
@Singleton
public class JobSchedule {
    private static final String GROUP = "validator";

    private final Scheduler scheduler;
    private final ShareSettings shares;
    private final ValidationSettings validation;
    private final CollectionSettings collections;
    private final org.accomplishments.validator.collection.store.StoreSettings store;

    public JobSchedule(Scheduler scheduler, ShareSettings shares, ValidationSettings validation,
                       CollectionSettings collections, org.accomplishments.validator.collection.store.StoreSettings store) {
        this.store = store;
        this.scheduler = scheduler;
        this.shares = shares;
        this.validation = validation;
        this.collections = collections;
    }

    @jakarta.inject.Inject
    org.accomplishments.validator.storage.DatabaseBackup backup;

    public void start() throws SchedulerException {
        schedule("accept-offers", ValidatorJobs.AcceptOffersJob.class, shares.getOfferInterval());
        schedule("rescan-shares", ValidatorJobs.RescanSharesJob.class, shares.getRescanInterval());
        schedule("process-due-work", ValidatorJobs.ProcessDueWorkJob.class, validation.getProcessInterval());
        schedule("reload-collections", ValidatorJobs.ReloadCollectionsJob.class, collections.getReloadInterval());
        schedule("resign-store-index", ValidatorJobs.ResignStoreIndexJob.class, store.getResignInterval());
        schedule("pick-up-installed-collections", ValidatorJobs.PickUpInstalledCollectionsJob.class,
                store.getPickUpInterval());
        if (!store.getUpdateInterval().isZero()) {
            schedule("update-collections", ValidatorJobs.UpdateCollectionsJob.class, store.getUpdateInterval());
        } else {
            scheduler.deleteJob(org.quartz.JobKey.jobKey("update-collections", GROUP));
        }
        schedule("housekeeping", ValidatorJobs.HousekeepingJob.class, Duration.ofHours(1));
        if (backup != null && backup.applies()) {
            schedule("backup-database", ValidatorJobs.BackupDatabaseJob.class, backup.checkInterval());
        }
        scheduler.start();
    }

    private void schedule(String name, Class<? extends Job> job, Duration interval) throws SchedulerException {
        JobDetail detail = JobBuilder.newJob(job).withIdentity(name, GROUP).storeDurably().build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(name, GROUP).forJob(detail)
                .startAt(new java.util.Date(System.currentTimeMillis() + interval.toMillis()))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(Math.max(1000, interval.toMillis())).repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        scheduler.scheduleJob(detail, Set.of(trigger), true);
    }
}
