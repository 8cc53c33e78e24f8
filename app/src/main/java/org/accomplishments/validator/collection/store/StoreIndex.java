package org.accomplishments.validator.collection.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The store's index ({@code GET /api/store/index}, format in docs/collections.md): every collection release it ever
 * accepted, its {@code serial} (only grows) and {@code expires} (after it, installers refuse the index). The bytes are
 * what is signed, so they are produced here once, deterministically, and served as they are.
 */
public record StoreIndex(long serial, Instant generated, Instant expires, List<Entry> entries) {
    public static final int SCHEMA = 1;
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    /** One release: id@version is immutable, and {@code sha256} pins its canonical tree. */
    public record Entry(String id, String version, String name, String description, String author, String license,
                        String homepage, String source, String ref, String commit, String sha256, int files, long bytes,
                        Instant submittedAt) {
        public SemVer semver() {
            return SemVer.parse(version).orElseThrow();
        }
    }

    public StoreIndex {
        entries = entries.stream().sorted(Comparator.comparing(Entry::id).thenComparing(Entry::semver)).toList();
    }

    public Optional<Entry> find(String id, String version) {
        return entries.stream().filter(e -> e.id().equals(id) && e.version().equals(version)).findFirst();
    }

    /** The highest version of {@code id}, by semantic-version precedence. */
    public Optional<Entry> latest(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).max(Comparator.comparing(Entry::semver));
    }

    /** Entries whose id, name, description or author contains {@code text} (case-insensitive), latest of each id. */
    public List<Entry> search(String text) {
        String needle = text.toLowerCase(Locale.ROOT);
        return entries.stream().map(Entry::id).distinct().map(id -> latest(id).orElseThrow())
                .filter(e -> (e.id() + "\n" + e.name() + "\n" + e.description() + "\n" + e.author())
                        .toLowerCase(Locale.ROOT).contains(needle))
                .toList();
    }

    public StoreIndex with(long newSerial, Instant newGenerated, Instant newExpires, List<Entry> newEntries) {
        return new StoreIndex(newSerial, newGenerated, newExpires, newEntries);
    }

    public byte[] toJson() {
        ObjectNode root = CollectionManifest.JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("serial", serial);
        root.put("generated", generated.toString());
        root.put("expires", expires.toString());
        ArrayNode list = root.putArray("entries");
        for (Entry e : entries) {
            list.add(entryJson(e));
        }
        try {
            return (CollectionManifest.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode entryJson(Entry e) {
        ObjectNode node = CollectionManifest.JSON.createObjectNode();
        node.put("id", e.id());
        node.put("version", e.version());
        node.put("name", e.name());
        node.put("description", e.description());
        node.put("author", e.author());
        node.put("license", e.license());
        node.put("homepage", e.homepage());
        node.put("source", e.source());
        node.put("ref", e.ref());
        node.put("commit", e.commit());
        node.put("sha256", e.sha256());
        node.put("files", e.files());
        node.put("bytes", e.bytes());
        node.put("submitted-at", e.submittedAt().toString());
        return node;
    }

    /** Parses an index strictly; anything unexpected is {@code index-invalid}. */
    public static StoreIndex parse(byte[] bytes) throws StoreRefusal {
        if (bytes.length > MAX_BYTES) {
            throw invalid("the index is " + bytes.length + " bytes; at most " + MAX_BYTES);
        }
        try {
            JsonNode root = CollectionManifest.JSON.readTree(bytes);
            if (root == null || !root.isObject() || root.path("schema").asInt(-1) != SCHEMA) {
                throw invalid("not an index of schema " + SCHEMA);
            }
            List<Entry> entries = new ArrayList<>();
            for (JsonNode e : root.withArray("entries")) {
                String version = text(e, "version");
                if (SemVer.parse(version).isEmpty() || !GitSource.isFullCommitId(text(e, "commit"))
                        || !text(e, "sha256").matches("[0-9a-f]{64}")) {
                    throw invalid("entry " + text(e, "id") + "@" + version + " has a bad version, commit or sha256");
                }
                entries.add(new Entry(text(e, "id"), version, text(e, "name"), text(e, "description"), text(e, "author"),
                        text(e, "license"), text(e, "homepage"), text(e, "source"), text(e, "ref"), text(e, "commit"),
                        text(e, "sha256"), e.path("files").asInt(), e.path("bytes").asLong(), instant(e, "submitted-at")));
            }
            if (!root.path("serial").canConvertToLong() || !root.path("serial").isIntegralNumber()) {
                throw invalid("no integer 'serial'");
            }
            return new StoreIndex(root.path("serial").asLong(), instant(root, "generated"), instant(root, "expires"), entries);
        } catch (StoreRefusal r) {
            throw r;
        } catch (Exception e) {
            throw invalid("not an index: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static String text(JsonNode node, String field) throws StoreRefusal {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid("'" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    private static Instant instant(JsonNode node, String field) throws StoreRefusal {
        try {
            return Instant.parse(text(node, field));
        } catch (DateTimeParseException e) {
            throw invalid("'" + field + "' is not an RFC 3339 UTC time");
        }
    }

    private static StoreRefusal invalid(String detail) {
        return new StoreRefusal("index-invalid", detail);
    }
}
