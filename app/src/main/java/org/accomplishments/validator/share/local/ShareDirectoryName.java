package org.accomplishments.validator.share.local;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a share directory's name says about the share. Ubuntu One style servers name it
 * {@code <share name> (<visible name>, <share id>)} or {@code <share name> (<share id>)}; any other name is taken
 * whole as both the share id and the owner.
 */
public record ShareDirectoryName(String shareId, String owner, String visibleName, String shareName) {

    private static final Pattern WITH_VISIBLE = Pattern.compile("^(.+) \\(([^(),]+), ([^(),]+)\\)$");
    private static final Pattern ID_ONLY = Pattern.compile("^(.+) \\(([^(),]+)\\)$");

    public static ShareDirectoryName parse(String directoryName) {
        Matcher m = WITH_VISIBLE.matcher(directoryName);
        if (m.matches()) {
            return new ShareDirectoryName(m.group(3).strip(), m.group(2).strip(), m.group(2).strip(), m.group(1));
        }
        m = ID_ONLY.matcher(directoryName);
        if (m.matches()) {
            String id = m.group(2).strip();
            return new ShareDirectoryName(id, id, null, m.group(1));
        }
        return new ShareDirectoryName(directoryName, directoryName, null, directoryName);
    }
}
