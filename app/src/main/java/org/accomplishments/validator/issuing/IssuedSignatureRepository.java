package org.accomplishments.validator.issuing;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface IssuedSignatureRepository extends CrudRepository<IssuedSignatureRow, Long> {

    @Query("SELECT COUNT(*) FROM issued_signature WHERE issued_id = :issuedId AND signed_text_sha256 = :digest")
    long countByIssuedIdAndDigest(long issuedId, String digest);

    /** Every further signature of a revoked award. */
    @Query("SELECT s.* FROM issued_signature s JOIN issued_trophy t ON t.id = s.issued_id "
            + "WHERE t.revoked_at IS NOT NULL ORDER BY s.id")
    List<IssuedSignatureRow> findOfRevoked();
}
