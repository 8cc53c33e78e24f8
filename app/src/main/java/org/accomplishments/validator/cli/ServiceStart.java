package org.accomplishments.validator.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import org.accomplishments.validator.Application;
import org.accomplishments.validator.config.ConfigurationCheck;
import org.accomplishments.validator.config.StartupRefusal;
import org.accomplishments.validator.storage.DataDirectoryCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * {@code run}: checks the configuration and the data directory first, then starts Micronaut. Anything that stops
 * the start is told in one sentence on stderr (the stack trace only at DEBUG), and the exit code says which kind:
 * 78 a configuration mistake, 65 a database the service must not use, 75 another service already running on the
 * data directory ({@link DataDirectoryLock}), 1 anything else.
 */
final class ServiceStart {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceStart.class);
    static final String PREFIX = "accomplishments-validator: not started: ";

    private ServiceStart() {
    }

    /** Returns {@link ValidatorCommand#KEEP_RUNNING} once the service runs, or the exit code of a refused start. */
    static int run(String[] args) {
        try {
            preflight(args);
        } catch (StartupRefusal refusal) {
            System.err.println(PREFIX + refusal.getMessage());
            return refusal.exitCode();
        }
        new Micronaut() {
            @Override
            protected void handleStartupException(Environment environment, Throwable error) {
                System.err.println(PREFIX + sentence(error));
                LOG.debug("the start failed", error);
                System.exit(exitCode(error));
            }
        }.classes(Application.class).args(args).start();
        return ValidatorCommand.KEEP_RUNNING;
    }

    private static void preflight(String[] args) throws StartupRefusal {
        ConfigurationCheck check = ConfigurationCheck.withBundledDefaults();
        var given = check.checkFiles(ConfigurationCheck.configFiles(args));
        ApplicationContext context;
        Environment environment;
        try {
            context = ApplicationContext.builder().deduceEnvironment(false).banner(false).args(args).build();
            environment = context.getEnvironment();
            environment.start();
        } catch (RuntimeException e) {
            throw new StartupRefusal(StartupRefusal.CONFIG, sentence(e));
        }
        try {
            check.checkValues(environment, given, args);
            Path dataDir = Path.of(environment.getProperty("validator.data-dir", String.class).orElse("./var"));
            String url = environment.getProperty("datasources.default.url", String.class).orElse("");
            String user = environment.getProperty("datasources.default.username", String.class).orElse("");
            String password = environment.getProperty("datasources.default.password", String.class).orElse("");
            Path backups = Path.of(environment.getProperty("validator.backup.dir", String.class)
                    .orElse(dataDir.resolve("backups").toString()));
            DataDirectoryLock.acquire(dataDir);
            DataDirectoryCheck.check(dataDir, url, user, password, backups);
        } finally {
            environment.stop();
        }
    }

    /** The most telling cause of a failed start, in one line. */
    static String sentence(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StartupRefusal r) {
                return r.getMessage();
            }
            if (t instanceof AccessDeniedException a) {
                return "permission denied on " + a.getFile() + " for user " + System.getProperty("user.name") + ".";
            }
            if (t instanceof FileSystemException f && f.getReason() != null) {
                return f.getReason() + ": " + f.getFile() + ".";
            }
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = firstLine(error.getMessage());
        String bottom = firstLine(root.getMessage());
        if (root == error || bottom.isEmpty()) {
            return top.isEmpty() ? error.toString() : top;
        }
        return (top.isEmpty() ? "" : top + " ") + "(cause: " + bottom + ")";
    }

    private static int exitCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StartupRefusal r) {
                return r.exitCode();
            }
            if (t instanceof io.micronaut.context.exceptions.ConfigurationException) {
                return StartupRefusal.CONFIG;
            }
        }
        return 1;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        for (String line : s.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("Path Taken")) {
                return l.startsWith("Message: ") ? l.substring(9) : l;
            }
        }
        return "";
    }
}
