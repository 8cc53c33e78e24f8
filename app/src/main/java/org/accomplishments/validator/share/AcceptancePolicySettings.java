package org.accomplishments.validator.share;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.List;

/** {@code validator.shares.policy.*}: which offers are accepted. Defaults in application.yml. */
@ConfigurationProperties("validator.shares.policy")
public interface AcceptancePolicySettings {
    boolean isAcceptAll();

    List<String> getOwnerAllow();

    List<String> getOwnerDeny();

    String getShareNamePattern();

    int getMaxSharesPerOwner();

    int getMaxFilesPerShare();

    long getMaxBytesPerShare();
}
