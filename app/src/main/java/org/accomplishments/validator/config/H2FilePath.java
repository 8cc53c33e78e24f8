package org.accomplishments.validator.config;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/**
 * H2 refuses a file path that is "implicitly relative" ({@code jdbc:h2:file:var/db}), which is what a relative
 * {@code validator.data-dir} would give; the embedded database is resolved against the working directory instead.
 */
@Singleton
public class H2FilePath implements BeanCreatedEventListener<DatasourceConfiguration> {
    private static final String PREFIX = "jdbc:h2:file:";

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String url = config.getUrl();
        if (url != null && url.startsWith(PREFIX)) {
            config.setUrl(absolute(url));
        }
        return config;
    }

    static String absolute(String url) {
        String rest = url.substring(PREFIX.length());
        int options = rest.indexOf(';');
        String file = options < 0 ? rest : rest.substring(0, options);
        if (file.startsWith("~")) {
            return url;
        }
        String absolute = Path.of(file).toAbsolutePath().normalize().toString();
        return PREFIX + absolute + (options < 0 ? "" : rest.substring(options));
    }
}
