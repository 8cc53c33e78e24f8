package org.accomplishments.validator.issuing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** The {@code issued_signature} table: a signature the ledger wrote again for an award (its .asc had gone). */
@MappedEntity("issued_signature")
public record IssuedSignatureRow(@Id @GeneratedValue @Nullable Long id, long issuedId, String signedTextSha256,
                                 String signedBy, Instant signedAt) {
}
