package org.accomplishments.validator.collection.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code accomplishments-collection.json} at the root of a collection's repository (docs/collections.md): who made
 * the collection and which release this is. Parsing collects every problem, so an author sees them all at once.
 */
public record CollectionManifest(String id, String version, String name, String author, String license,
                                 String description, String homepage) {

    public static final String FILE = "accomplishments-collection.json";
    public static final int MAX_BYTES = 64 * 1024;

    /** Collection folder names the loader accepts, minus the names of the search path's own folders. */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._+-]{0,63}");
    private static final Set<String> RESERVED_IDS = Set.of("accomplishments", "scripts", "tests");
    private static final Set<String> FIELDS = Set.of("schema", "id", "version", "name", "author", "license",
            "description", "homepage");
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The manifest, or every reason it is not one (each with reason {@code manifest-invalid}). */
    public static Parsed parse(byte[] bytes) {
        List<Reason> problems = new ArrayList<>();
        if (bytes.length > MAX_BYTES) {
            return new Parsed(null, List.of(invalid("the manifest is " + bytes.length + " bytes; at most " + MAX_BYTES)));
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (Exception e) {
            return new Parsed(null, List.of(invalid("not JSON: " + firstLine(e.getMessage()))));
        }
        if (root == null || !root.isObject()) {
            return new Parsed(null, List.of(invalid("the manifest must be a JSON object")));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                problems.add(invalid("unknown field '" + field + "' (known: " + String.join(", ", FIELDS.stream().sorted().toList()) + ")"));
            }
        }
        JsonNode schema = root.get("schema");
        if (schema != null && !(schema.isInt() && schema.asInt() == 1)) {
            problems.add(invalid("'schema' must be 1"));
        }
        String id = text(root, "id", true, problems);
        if (id != null && (!ID.matcher(id).matches() || id.contains("..") || RESERVED_IDS.contains(id))) {
            problems.add(invalid("'id' must be 1-64 of a-z 0-9 . _ + - starting with a letter or digit, not "
                    + RESERVED_IDS.stream().sorted().toList() + ": '" + id + "'"));
            id = null;
        }
        String version = text(root, "version", true, problems);
        if (version != null && SemVer.parse(version).isEmpty()) {
            problems.add(invalid("'version' is not a semantic version (MAJOR.MINOR.PATCH, semver.org): '" + version + "'"));
            version = null;
        }
        String name = text(root, "name", true, problems);
        String author = text(root, "author", true, problems);
        String license = text(root, "license", true, problems);
        String description = text(root, "description", true, problems);
        String homepage = text(root, "homepage", false, problems);
        if (homepage != null && !homepage.isEmpty()) {
            try {
                URI uri = new URI(homepage);
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    problems.add(invalid("'homepage' must be an http(s) URL: '" + homepage + "'"));
                }
            } catch (Exception e) {
                problems.add(invalid("'homepage' is not a URL: '" + homepage + "'"));
            }
        }
        if (!problems.isEmpty()) {
            return new Parsed(null, problems);
        }
        return new Parsed(new CollectionManifest(id, version, name, author, license, description,
                homepage == null ? "" : homepage), List.of());
    }

    private static String text(JsonNode root, String field, boolean required, List<Reason> problems) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                problems.add(invalid("'" + field + "' is missing"));
            }
            return null;
        }
        if (!node.isTextual()) {
            problems.add(invalid("'" + field + "' must be a string"));
            return null;
        }
        String value = node.asText();
        int limit = field.equals("description") ? 4000 : 300;
        if (required && value.isBlank()) {
            problems.add(invalid("'" + field + "' is empty"));
            return null;
        }
        if (value.length() > limit || value.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
            problems.add(invalid("'" + field + "' must be at most " + limit + " characters without control characters"));
            return null;
        }
        return value;
    }

    private static Reason invalid(String detail) {
        return new Reason("manifest-invalid", detail);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    public record Parsed(CollectionManifest manifest, List<Reason> problems) {
    }
}
