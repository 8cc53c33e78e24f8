package org.accomplishments.validator.collection;

/**
 * Published after every load of the collections (start, reload timer, API). {@code fingerprint} changes exactly
 * when a verdict that depends on the appliance's own configuration could change: an accomplishment appears or
 * goes, becomes global or local, or gains or loses its logic script.
 */
public record CatalogLoaded(AccomplishmentCatalog catalog, String fingerprint) {

    /** The sha256 of every loaded id with the three facts the configuration-dependent reasons rest on. */
    public static String fingerprintOf(AccomplishmentCatalog catalog) {
        StringBuilder text = new StringBuilder();
        for (var accomplishment : catalog.accomplishments()) {
            text.append(accomplishment.id()).append(' ').append(accomplishment.needsSigning() ? "global" : "local")
                    .append(' ').append(catalog.logicScript(accomplishment.id()).isPresent() ? "script" : "no-script")
                    .append('\n');
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
