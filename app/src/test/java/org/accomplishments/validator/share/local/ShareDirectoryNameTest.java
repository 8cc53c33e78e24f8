package org.accomplishments.validator.share.local;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShareDirectoryNameTest {
    @Test
    void anUbuntuOneNameWithVisibleNameGivesIdOwnerAndShareName() {
        var n = ShareDirectoryName.parse("alice Trophies Folder (2012-04-30 22:17) (Alice Smith, 0a1b2c3d-4e5f)");
        assertEquals("0a1b2c3d-4e5f", n.shareId());
        assertEquals("Alice Smith", n.owner());
        assertEquals("Alice Smith", n.visibleName());
        assertEquals("alice Trophies Folder (2012-04-30 22:17)", n.shareName());
    }

    @Test
    void anUbuntuOneNameWithOnlyTheIdUsesTheIdAsOwner() {
        var n = ShareDirectoryName.parse("Trophies (0a1b2c3d)");
        assertEquals("0a1b2c3d", n.shareId());
        assertEquals("0a1b2c3d", n.owner());
        assertEquals("Trophies", n.shareName());
    }

    @Test
    void anyOtherNameIsIdAndOwnerAtOnce() {
        var n = ShareDirectoryName.parse("carol");
        assertEquals("carol", n.shareId());
        assertEquals("carol", n.owner());
        assertEquals("carol", n.shareName());
    }
}
