package org.accomplishments.validator.issuing;

import jakarta.inject.Singleton;
import org.accomplishments.validator.validation.IssuedAwards;

import java.time.Instant;
import java.util.Optional;

/** The issuing side of the ledger's question "does an award stand for this content?". */
@Singleton
class StandingAwards implements IssuedAwards {
    private final IssuedTrophyRepository issued;
    private final IssuedSignatureRepository signatures;

    StandingAwards(IssuedTrophyRepository issued, IssuedSignatureRepository signatures) {
        this.issued = issued;
        this.signatures = signatures;
    }

    @Override
    public Optional<Standing> standing(String shareId, String path, String sha256) {
        return issued.findIssuedContent(shareId, path, sha256).stream().filter(r -> !r.revoked()).findFirst()
                .map(r -> new Standing(r.id(), r.issuedAt()));
    }

    @Override
    public void signedAgain(long awardId, String signedTextSha256, String fingerprint, Instant at) {
        Optional<IssuedTrophyRow> award = issued.findById(awardId);
        if (award.isEmpty() || signedTextSha256.equals(award.get().signedTextSha256())
                || signatures.countByIssuedIdAndDigest(awardId, signedTextSha256) > 0) {
            return; // the same text as before (same key, same time): the list already names it
        }
        signatures.save(new IssuedSignatureRow(null, awardId, signedTextSha256, fingerprint, at));
    }
}
