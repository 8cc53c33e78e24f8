package org.accomplishments.validator.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SessionRepository extends CrudRepository<SessionRow, String> {

    @Query("UPDATE web_session SET last_seen_at = :at WHERE id_hash = :idHash")
    void touch(String idHash, Instant at);

    @Query("DELETE FROM web_session WHERE user_name = :userName")
    void deleteAllOf(String userName);

    @Query("DELETE FROM web_session WHERE user_name = :userName AND id_hash <> :keep")
    void deleteOthersOf(String userName, String keep);

    @Query("DELETE FROM web_session WHERE expires_at < :now OR last_seen_at < :idleSince")
    long deleteExpired(Instant now, Instant idleSince);
}
