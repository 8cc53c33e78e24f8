package org.accomplishments.validator.schedule;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.DBConnectionManager;

import javax.sql.DataSource;
import java.util.Properties;

/** Quartz with its JDBC job store in the service's own database (tables created by Flyway, V1). */
@Factory
public class QuartzFactory {
    static final String DATA_SOURCE = "validator";

    @Singleton
    @Bean(preDestroy = "shutdown")
    Scheduler scheduler(DataSource dataSource, BeanContext beans, ScheduleSettings settings) throws SchedulerException {
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE,
                new QuartzConnectionProvider(DelegatingDataSource.unwrapDataSource(dataSource)));
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "accomplishments-validator");
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "3");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        // One delegate for both databases: H2 runs in PostgreSQL mode (see application.yml).
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
        p.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
        p.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(settings.isEnabled()));
        p.setProperty("org.quartz.jobStore.misfireThreshold", "30000");
        Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
        scheduler.setJobFactory((bundle, s) -> beans.getBean(bundle.getJobDetail().getJobClass()));
        return scheduler;
    }
}
