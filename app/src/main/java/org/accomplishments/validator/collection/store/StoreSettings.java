package org.accomplishments.validator.collection.store;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code validator.store.*}: publishing an index (the store role) and installing from one (any appliance). */
@ConfigurationProperties("validator.store")
public interface StoreSettings {
    /** The index this appliance installs and updates from ({@code http(s)://.../api/store/index}); empty: none. */
    String getIndexUrl();

    /** The pinned public key(s) the index must be signed by (armored or binary); empty: none. */
    String getKeyFile();

    /** Timer: {@code collections update} from {@link #getIndexUrl()}; 0 switches it off. */
    Duration getUpdateInterval();

    /** How long a published index is valid; it is re-signed when less than half of it is left. */
    Duration getValidity();

    /** Timer: check whether the published index needs re-signing (expiry near, or the key rotated). */
    Duration getResignInterval();

    /** Timer: look for collections installed beside the service (by the CLI) and reload. */
    Duration getPickUpInterval();

    /** Files in a submitted or installed tree. */
    int getMaxFiles();

    /** Bytes of files in a submitted or installed tree. */
    long getMaxBytes();

    /** Limit on fetching a git source or an index. */
    Duration getFetchTimeout();
}
