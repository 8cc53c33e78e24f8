package org.accomplishments.validator.share.syncdaemon;

import org.accomplishments.validator.share.ShareOffer;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One share dict of {@code get_shares()} (or of a share signal), checked. The strings come from the sync server
 * and, through it, from the person offering the share, so each is checked before the core sees it.
 *
 * @param volumeId    the share id ({@code volume_id}; there is no {@code id} key)
 * @param owner       {@code other_username}
 * @param visibleName {@code other_visible_name}, or {@code null} when empty
 * @param name        the share's name
 * @param folder      {@code path}: the local directory the share syncs into
 * @param accepted    {@code accepted == 'True'}
 * @param subscribed  {@code subscribed == 'True'}
 */
record ShareInfo(String volumeId, String owner, String visibleName, String name, Path folder, boolean accepted,
                 boolean subscribed) {

    /** Volume ids are UUIDs; anything printable and short is tolerated, nothing that could act as a path. */
    private static final Pattern VOLUME_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final int MAX_TEXT = 1024;
    static final String TRUE = "True";

    /** Why a dict cannot be used. */
    static final class Unusable extends Exception {
        Unusable(String reason) {
            super(reason);
        }
    }

    /**
     * @param sharesDir the daemon's shares directory ({@code get_sharesdir()}): a share's folder must be directly in
     *                  it, so a crafted share name can never point the server at another directory
     */
    static ShareInfo parse(Map<String, String> dict, Path sharesDir) throws Unusable {
        String volumeId = dict.getOrDefault("volume_id", "");
        if (!VOLUME_ID.matcher(volumeId).matches()) {
            throw new Unusable("volume_id '" + abbreviate(volumeId) + "' is not a share id");
        }
        String type = dict.getOrDefault("type", "Share");
        if (!type.equals("Share")) {
            throw new Unusable("type '" + abbreviate(type) + "' is not a share offered to this account");
        }
        String owner = text(dict, "other_username", true);
        String visibleName = text(dict, "other_visible_name", false);
        String name = text(dict, "name", false);
        String rawPath = text(dict, "path", true);
        Path folder;
        try {
            folder = Path.of(rawPath);
        } catch (InvalidPathException e) {
            throw new Unusable("path is not a file name: " + e.getReason());
        }
        if (!folder.isAbsolute() || !folder.normalize().equals(folder) || folder.getParent() == null
                || !folder.getParent().equals(sharesDir)) {
            throw new Unusable("path '" + abbreviate(rawPath) + "' is not a folder directly in the shares directory "
                    + sharesDir);
        }
        return new ShareInfo(volumeId, owner, visibleName.isEmpty() ? null : visibleName, name, folder,
                TRUE.equals(dict.get("accepted")), TRUE.equals(dict.get("subscribed")));
    }

    /** The id of a dict whose other keys do not matter (answers, deletions), if it names one. */
    static String idOf(Map<String, String> dict) {
        String id = dict.getOrDefault("volume_id", dict.getOrDefault("id", ""));
        return VOLUME_ID.matcher(id).matches() ? id : null;
    }

    ShareOffer toOffer() {
        return new ShareOffer(volumeId, owner, visibleName, name, folder, accepted);
    }

    private static String text(Map<String, String> dict, String key, boolean required) throws Unusable {
        String value = dict.getOrDefault(key, "");
        if (required && value.isEmpty()) {
            throw new Unusable("no " + key);
        }
        if (value.length() > MAX_TEXT) {
            throw new Unusable(key + " is longer than " + MAX_TEXT + " characters");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new Unusable(key + " contains control characters");
        }
        return value;
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 80) + "...";
    }
}
