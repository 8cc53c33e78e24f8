package org.accomplishments.validator.config;

import io.micronaut.context.env.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The configuration, checked before the service starts, so a mistake stops the start with one sentence that
 * names the file, line or property instead of a page of stack traces (or, worse, a start on defaults):
 * every file named in {@code micronaut.config.files} must exist and be a YAML mapping without syntax errors;
 * every {@code validator.*} setting whose default is a duration, a number or a boolean must have a value of that
 * kind. A {@code validator.*} key the service does not know (a typo) is warned about. The known settings and their
 * kinds are those of the bundled {@code application.yml}, which lists every setting with its default.
 */
public final class ConfigurationCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationCheck.class);
    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h|d)");

    /** One {@code validator.*} key given by the operator, and where. */
    record Given(String key, String source) {
    }

    private final Map<String, Object> defaults;

    private ConfigurationCheck(Map<String, Object> defaults) {
        this.defaults = defaults;
    }

    /** The checker with the defaults of the bundled {@code application.yml}. */
    public static ConfigurationCheck withBundledDefaults() {
        try (InputStream in = ConfigurationCheck.class.getResourceAsStream("/application.yml")) {
            if (in == null) {
                return new ConfigurationCheck(Map.of());
            }
            Object doc = yaml().load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, Object> flat = new LinkedHashMap<>();
            flatten("", doc, flat);
            return new ConfigurationCheck(flat);
        } catch (IOException | YAMLException e) {
            return new ConfigurationCheck(Map.of());
        }
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    /** The files of {@code micronaut.config.files}, from a system property, the environment or the arguments. */
    public static List<Path> configFiles(String[] args) {
        List<String> lists = new ArrayList<>();
        Optional.ofNullable(System.getProperty("micronaut.config.files")).ifPresent(lists::add);
        Optional.ofNullable(System.getenv("MICRONAUT_CONFIG_FILES")).ifPresent(lists::add);
        for (String a : args) {
            if (a.startsWith("--micronaut.config.files=")) {
                lists.add(a.substring("--micronaut.config.files=".length()));
            }
        }
        List<Path> files = new ArrayList<>();
        for (String list : lists) {
            for (String f : list.split(",")) {
                if (!f.isBlank() && !f.strip().startsWith("classpath:")) {
                    String name = f.strip();
                    files.add(Path.of(name.startsWith("file:") ? name.substring(5) : name));
                }
            }
        }
        return files;
    }

    /** Step one, before Micronaut reads them: each file exists, is readable and parses. Returns the keys given. */
    public List<Given> checkFiles(List<Path> files) throws StartupRefusal {
        List<Given> given = new ArrayList<>();
        for (Path file : files) {
            if (!Files.exists(file)) {
                throw new StartupRefusal(StartupRefusal.CONFIG, "The configuration file " + file.toAbsolutePath()
                        + " named in micronaut.config.files does not exist.");
            }
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new StartupRefusal(StartupRefusal.CONFIG, "The configuration file " + file.toAbsolutePath()
                        + " named in micronaut.config.files is not a readable file.");
            }
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            Map<String, Object> flat = new LinkedHashMap<>();
            if (name.endsWith(".properties")) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                } catch (IOException | IllegalArgumentException e) {
                    throw new StartupRefusal(StartupRefusal.CONFIG, "The configuration file " + file.toAbsolutePath()
                            + " cannot be read as properties: " + e.getMessage() + ".");
                }
                p.stringPropertyNames().forEach(k -> flat.put(k, p.getProperty(k)));
            } else if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                flatten("", parseYaml(file), flat);
            } else {
                continue; // JSON, Groovy, TOML: Micronaut's own loaders report their errors
            }
            flat.keySet().forEach(k -> given.add(new Given(k, file.toAbsolutePath().toString())));
        }
        return given;
    }

    private static Object parseYaml(Path file) throws StartupRefusal {
        Iterable<Object> docs;
        List<Object> all = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            docs = yaml().loadAll(r);
            for (Object d : docs) {
                all.add(d);
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new StartupRefusal(StartupRefusal.CONFIG, "The configuration file " + file.toAbsolutePath()
                    + " has a YAML syntax error" + where + ": " + oneLine(problem)
                    + (e.getContext() == null ? "" : " (" + oneLine(e.getContext()) + ")") + ".");
        } catch (YAMLException | IOException e) {
            throw new StartupRefusal(StartupRefusal.CONFIG, "The configuration file " + file.toAbsolutePath()
                    + " cannot be read: " + oneLine(e.getMessage()) + ".");
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Object doc : all) {
            if (doc == null) {
                continue;
            }
            if (!(doc instanceof Map<?, ?> map)) {
                throw new StartupRefusal(StartupRefusal.CONFIG, "The configuration file " + file.toAbsolutePath()
                        + " is not a YAML mapping of settings (it holds a " + kind(doc) + ": \""
                        + abbreviate(String.valueOf(doc)) + "\"); write settings as `key: value` lines, e.g. "
                        + "`validator:` and then `  data-dir: /srv/validator`.");
            }
            map.forEach((k, v) -> merged.put(String.valueOf(k), v));
        }
        return merged;
    }

    /** Step two, on the started environment: every known key has a value of its kind; unknown keys warned about. */
    public void checkValues(Environment environment, List<Given> fromFiles, String[] args) throws StartupRefusal {
        List<Given> given = new ArrayList<>(fromFiles);
        System.getProperties().stringPropertyNames().forEach(k -> given.add(new Given(k, "a -D system property")));
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                given.add(new Given(a.substring(2, a.indexOf('=')), "the command line"));
            }
        }
        Set<String> warned = new TreeSet<>();
        for (Given g : given) {
            String key = INDEX.matcher(g.key()).replaceAll("").replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                    .toLowerCase(Locale.ROOT);
            if (key.startsWith("validator.") && !known(key) && warned.add(key)) {
                LOG.warn("unknown setting {} (in {}) is ignored: it is not a setting of this version; check its "
                        + "spelling against README \"Configuration\"", key, g.source());
            }
        }
        for (String name : System.getenv().keySet()) {
            if (name.startsWith("VALIDATOR_") && !knownVariable(name) && warned.add(name)) {
                LOG.warn("unknown setting in environment variable {} is ignored: it is not a setting of this version; "
                        + "check its spelling against README \"Configuration\"", name);
            }
        }
        for (Map.Entry<String, Object> d : defaults.entrySet()) {
            if (!d.getKey().startsWith("validator.") || !(d.getValue() instanceof String || d.getValue() instanceof Number
                    || d.getValue() instanceof Boolean)) {
                continue;
            }
            Optional<String> value;
            try {
                value = environment.getProperty(d.getKey(), String.class);
            } catch (RuntimeException e) {
                continue;
            }
            if (value.isEmpty()) {
                continue;
            }
            String v = value.get().strip();
            String def = String.valueOf(d.getValue());
            if (d.getValue() instanceof Boolean && !v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw bad(d.getKey(), v, "is not true or false");
            }
            if (d.getValue() instanceof Number && !NUMBER.matcher(v).matches()) {
                throw bad(d.getKey(), v, "is not a number");
            }
            if (d.getValue() instanceof String && DURATION.matcher(def).matches() && !isDuration(environment, v)) {
                throw bad(d.getKey(), v, "is not a duration (write a number and a unit, e.g. 500ms, 30s, 5m, 2h or 1d)");
            }
        }
    }

    private static StartupRefusal bad(String key, String value, String why) {
        return new StartupRefusal(StartupRefusal.CONFIG, "The setting " + key + " has the value \"" + abbreviate(value)
                + "\", which " + why + ".");
    }

    private static boolean isDuration(Environment environment, String value) {
        try {
            return environment.convert(value, Duration.class).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    boolean known(String key) {
        if (defaults.containsKey(key)) {
            return true;
        }
        // A key inside a known group that has no default of its own (a list's items, a future sub-setting) is
        // accepted when its parent is a known mapping; otherwise only exact keys count.
        for (String k : defaults.keySet()) {
            if (key.startsWith(k + ".") && defaults.get(k) instanceof List<?>) {
                return true;
            }
        }
        return false;
    }

    /**
     * Read by the systemd unit's health wait (libexec/wait-healthy), not by the service; they reach the service's
     * environment only because both run from the same unit, so they are not mistyped settings.
     */
    private static final java.util.Set<String> UNIT_VARIABLES = java.util.Set.of("VALIDATOR_HEALTH_URL",
            "VALIDATOR_HEALTH_TIMEOUT");

    private boolean knownVariable(String name) {
        if (UNIT_VARIABLES.contains(name)) {
            return true;
        }
        for (String k : defaults.keySet()) {
            if (k.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code a: {b: 1}} to {@code a.b = 1}; lists stay values under their key. */
    static void flatten(String prefix, Object node, Map<String, Object> out) {
        if (node instanceof Map<?, ?> map) {
            if (map.isEmpty() && !prefix.isEmpty()) {
                out.put(prefix, map);
            }
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else if (!prefix.isEmpty()) {
            out.put(prefix, node == null ? "" : node);
        }
    }

    private static String kind(Object doc) {
        return doc instanceof List<?> ? "list" : "single value";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }

    private static String abbreviate(String s) {
        String one = oneLine(s);
        return one.length() > 80 ? one.substring(0, 80) + "…" : one;
    }
}
