package org.accomplishments.validator.share.syncthing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How Syncthing's ids map onto shares and folders. A share is one folder of one device: {@code st:<device>:<folder>}.
 * The folder's path on the appliance is derived from both ids and never from anything the device merely declares
 * (its name, the folder's label); including the device means a folder id reused by another device later never
 * lands in the earlier device's directory.
 */
final class SyncthingLayout {
    static final String PREFIX = "st:";
    /** A Syncthing device id as 1.19 prints it: eight groups of seven base32 characters. */
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Z2-7]{7}(-[A-Z2-7]{7}){7}");

    /**
     * The allow-list {@code .stignore} of every accepted folder, written before the folder is added: only the
     * trophy layout is ever pulled (a user's other files stay on the user's side), conflict copies never are, and
     * the final {@code *} also keeps the appliance's own temporary files from being sent.
     */
    static final String STIGNORE = """
            // Written by accomplishments-validator: only trophies, their verdicts and the extra information sync.
            !/.extrainformation
            !/.extrainformation/*
            (?d)*.sync-conflict-*
            !/*/*.trophy
            !/*/*.trophy.asc
            !/*/*.trophy.rejected
            !/WEBVIEW
            (?d)*
            """;

    private final Path root;

    SyncthingLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    record Ids(String device, String folder) {
    }

    static boolean isDeviceId(String text) {
        return text != null && DEVICE_ID.matcher(text).matches();
    }

    static String shareId(String device, String folder) {
        return PREFIX + device + ":" + folder;
    }

    static Optional<Ids> parse(String shareId) {
        if (shareId == null || !shareId.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int colon = shareId.indexOf(':', PREFIX.length());
        if (colon < 0) {
            return Optional.empty();
        }
        String device = shareId.substring(PREFIX.length(), colon);
        String folder = shareId.substring(colon + 1);
        return isDeviceId(device) && !folder.isEmpty() ? Optional.of(new Ids(device, folder)) : Optional.empty();
    }

    /** {@code <root>/<first 7 of the device id>-<sha256(device id '/' folder id), 16 hex>}. */
    Path folderPath(String device, String folder) {
        String digest = sha256Hex(device + "/" + folder).substring(0, 16);
        return root.resolve(device.substring(0, 7) + "-" + digest);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
