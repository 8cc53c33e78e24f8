package org.accomplishments.validator.validation;

import jakarta.inject.Singleton;
import org.accomplishments.validator.collection.AccomplishmentCatalog;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.trophy.Accomplishment;
import org.accomplishments.validator.trophy.AccomplishmentId;
import org.accomplishments.validator.trophy.ExtraInformationItem;
import org.accomplishments.validator.trophy.ParseResult;
import org.accomplishments.validator.trophy.RejectionReason;
import org.accomplishments.validator.trophy.TextDecoding;
import org.accomplishments.validator.trophy.Trophy;
import org.accomplishments.validator.trophy.TrophyParser;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks that come before the logic script, in the order of design.md: the file parses, it asks to be signed,
 * its id matches its path, the accomplishment is installed and global, the information it needs is present, equal
 * to the share's {@code .extrainformation/<item>} and matching the descriptor's pattern, its dependencies are
 * signed for this share, and there is a logic script to run.
 */
@Singleton
public class TrophyValidator {
    /** Extra-information values are short (an e-mail, a URL); anything longer is not one. */
    static final int MAX_INFORMATION_BYTES = 4096;
    private static final String EXTRA_INFORMATION = ".extrainformation/";

    private final TrophyLedger ledger;

    public TrophyValidator(TrophyLedger ledger) {
        this.ledger = ledger;
    }

    /** What the checks concluded. */
    public sealed interface Check {
        /** A local accomplishment's trophy: nothing to sign, nothing to write. */
        record Ignore(String detail, String accomplishmentId) implements Check {
        }

        record Reject(RejectionReason reason, String detail, String accomplishmentId) implements Check {
        }

        record AwaitDependencies(List<String> unsigned, String accomplishmentId) implements Check {
        }

        record RunScript(Trophy trophy, Accomplishment accomplishment, Path script) implements Check {
        }
    }

    public Check check(Share share, ShareFolder folder, String path, byte[] bytes, AccomplishmentCatalog catalog)
            throws IOException {
        String pathId = idFromPath(path);
        TrophyParser.Result parsed = TrophyParser.parse(bytes);
        if (parsed instanceof TrophyParser.Malformed malformed) {
            return new Check.Reject(malformed.reason(), malformed.detail(), pathId);
        }
        Trophy trophy = ((TrophyParser.Parsed) parsed).trophy();
        String id = trophy.id().toString();
        if (!trophy.needsSigning()) {
            return new Check.Ignore("a local trophy (needs-signing is not true): nothing to sign", id);
        }
        if (!id.equals(pathId)) {
            return new Check.Reject(RejectionReason.ID_PATH_MISMATCH, "the trophy says id = " + id
                    + " but its path " + path + " is the place of " + pathId, id);
        }
        Optional<Accomplishment> found = catalog.find(trophy.id());
        if (found.isEmpty()) {
            return new Check.Reject(RejectionReason.UNKNOWN_ACCOMPLISHMENT,
                    "no installed collection defines " + id, id);
        }
        Accomplishment accomplishment = found.get();
        if (!accomplishment.needsSigning()) {
            return new Check.Reject(RejectionReason.NOT_GLOBAL,
                    id + " is a local accomplishment (needs-signing is not true); the server signs only global ones", id);
        }
        Check information = checkInformation(trophy, accomplishment, folder, catalog);
        if (information != null) {
            return information;
        }
        List<String> unsigned = new ArrayList<>();
        for (AccomplishmentId dependency : accomplishment.depends()) {
            if (!ledger.isSigned(share.id(), dependency.toString())) {
                unsigned.add(dependency.toString());
            }
        }
        if (!unsigned.isEmpty()) {
            return new Check.AwaitDependencies(unsigned, id);
        }
        Optional<Path> script = catalog.logicScript(trophy.id());
        if (script.isEmpty()) {
            return new Check.Reject(RejectionReason.NO_LOGIC_SCRIPT, accomplishment.humanIssued()
                    ? id + " is human-issued: it is awarded by people, not validated from a share"
                    : "no executable logic script for " + id + " is installed", id);
        }
        return new Check.RunScript(trophy, accomplishment, script.get());
    }

    private Check checkInformation(Trophy trophy, Accomplishment accomplishment, ShareFolder folder,
                                   AccomplishmentCatalog catalog) throws IOException {
        String id = trophy.id().toString();
        for (String item : accomplishment.needsInformation()) {
            String value = trophy.information().get(item);
            if (value == null || value.isEmpty()) {
                return new Check.Reject(RejectionReason.MISSING_INFORMATION,
                        "the trophy has no value for '" + item + "', which " + id + " needs", id);
            }
            String where = EXTRA_INFORMATION + item;
            ShareFolder.ReadResult read = folder.read(where, MAX_INFORMATION_BYTES);
            if (read instanceof ShareFolder.ReadResult.Missing) {
                return new Check.Reject(RejectionReason.MISSING_INFORMATION,
                        "the share has no " + where + " to check the trophy's '" + item + "' against", id);
            }
            if (read instanceof ShareFolder.ReadResult.NotRegular notRegular) {
                return new Check.Reject(RejectionReason.MISSING_INFORMATION,
                        where + " is not a regular file (" + notRegular.kind().name().toLowerCase() + ")", id);
            }
            if (read instanceof ShareFolder.ReadResult.TooLarge) {
                return new Check.Reject(RejectionReason.INVALID_INFORMATION,
                        where + " is larger than " + MAX_INFORMATION_BYTES + " bytes", id);
            }
            byte[] raw = ((ShareFolder.ReadResult.Content) read).bytes();
            ParseResult<String> text = TextDecoding.strictUtf8(raw);
            if (text instanceof ParseResult.Malformed<String> bad) {
                return new Check.Reject(RejectionReason.INVALID_INFORMATION, where + ": " + bad.reason(), id);
            }
            String shared = text.orElseThrow().strip();
            if (!shared.equals(value.strip())) {
                return new Check.Reject(RejectionReason.INFORMATION_MISMATCH, "the trophy's '" + item
                        + "' differs from the value in " + where, id);
            }
            Optional<ExtraInformationItem> descriptor = catalog.extraInformation(trophy.id().collection(), item);
            if (descriptor.isPresent() && !descriptor.get().matches(shared)) {
                return new Check.Reject(RejectionReason.INVALID_INFORMATION, "the value of '" + item
                        + "' does not match the pattern its descriptor requires", id);
            }
        }
        return null;
    }

    /** {@code <collection>/<name>.trophy} → {@code <collection>/<name>}. */
    static String idFromPath(String path) {
        return path.endsWith(".trophy") ? path.substring(0, path.length() - ".trophy".length()) : path;
    }
}
