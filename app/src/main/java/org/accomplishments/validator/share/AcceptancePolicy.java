package org.accomplishments.validator.share;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides which share offers are accepted. The 2012 server accepted every offer from anyone; here an operator
 * can restrict owners and share names and cap what one owner or one share may cost.
 */
public final class AcceptancePolicy {

    /** The longest share id, owner or name we record; longer ones come from nobody honest. */
    public static final int MAX_NAME_LENGTH = 200;

    private final boolean acceptAll;
    private final List<Pattern> ownerAllow;
    private final List<Pattern> ownerDeny;
    private final Pattern shareName;
    private final int maxSharesPerOwner;
    private final int maxFilesPerShare;
    private final long maxBytesPerShare;

    public AcceptancePolicy(AcceptancePolicySettings settings) {
        this.acceptAll = settings.isAcceptAll();
        this.ownerAllow = compile("validator.shares.policy.owner-allow", settings.getOwnerAllow());
        this.ownerDeny = compile("validator.shares.policy.owner-deny", settings.getOwnerDeny());
        String namePattern = settings.getShareNamePattern();
        this.shareName = namePattern == null || namePattern.isEmpty() ? null
                : compile("validator.shares.policy.share-name-pattern", List.of(namePattern)).get(0);
        this.maxSharesPerOwner = settings.getMaxSharesPerOwner();
        this.maxFilesPerShare = settings.getMaxFilesPerShare();
        this.maxBytesPerShare = settings.getMaxBytesPerShare();
    }

    public int maxFilesPerShare() {
        return maxFilesPerShare;
    }

    public long maxBytesPerShare() {
        return maxBytesPerShare;
    }

    public sealed interface Decision {
        record Accept() implements Decision {
        }

        record Refuse(String reason) implements Decision {
        }
    }

    /**
     * @param acceptedSharesOfOwner shares of the same owner already accepted
     * @param folderFiles           files already in the share's folder (0 when it has not synced yet)
     * @param folderBytes           their bytes
     * @param folderTruncated       whether counting stopped at the file limit
     */
    public Decision decide(ShareOffer offer, long acceptedSharesOfOwner, int folderFiles, long folderBytes,
                           boolean folderTruncated) {
        for (String value : List.of(offer.shareId(), offer.owner(), offer.name())) {
            if (value.isBlank() || value.length() > MAX_NAME_LENGTH || value.codePoints().anyMatch(Character::isISOControl)) {
                return new Decision.Refuse("share id, owner or name is empty, longer than " + MAX_NAME_LENGTH
                        + " characters or contains control characters");
            }
        }
        String owner = offer.owner();
        for (Pattern deny : ownerDeny) {
            if (deny.matcher(owner).matches()) {
                return new Decision.Refuse("owner matches owner-deny pattern '" + deny.pattern() + "'");
            }
        }
        if (!acceptAll && ownerAllow.stream().noneMatch(p -> p.matcher(owner).matches())) {
            return new Decision.Refuse("owner matches no owner-allow pattern");
        }
        if (shareName != null && !shareName.matcher(offer.name()).matches()) {
            return new Decision.Refuse("share name does not match share-name-pattern '" + shareName.pattern() + "'");
        }
        if (maxSharesPerOwner > 0 && acceptedSharesOfOwner >= maxSharesPerOwner) {
            return new Decision.Refuse("owner already has " + acceptedSharesOfOwner
                    + " accepted shares (max-shares-per-owner " + maxSharesPerOwner + ")");
        }
        String size = sizeProblem(folderFiles, folderBytes, folderTruncated);
        return size == null ? new Decision.Accept() : new Decision.Refuse(size);
    }

    /** Why a share's folder is over the per-share limits, or null when it is within them. */
    public String sizeProblem(int files, long bytes, boolean truncated) {
        if (truncated || files > maxFilesPerShare) {
            return "share holds more than " + maxFilesPerShare + " files (max-files-per-share)";
        }
        if (bytes > maxBytesPerShare) {
            return "share holds " + bytes + " bytes, more than " + maxBytesPerShare + " (max-bytes-per-share)";
        }
        return null;
    }

    private static List<Pattern> compile(String setting, List<String> patterns) {
        if (patterns == null) {
            return List.of();
        }
        return patterns.stream().map(p -> {
            try {
                return Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(setting + ": invalid regular expression '" + p + "': "
                        + e.getDescription(), e);
            }
        }).toList();
    }
}
