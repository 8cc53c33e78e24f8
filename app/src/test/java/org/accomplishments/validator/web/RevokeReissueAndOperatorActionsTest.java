package org.accomplishments.validator.web;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.issuing.HumanIssuedTrophies;
import org.accomplishments.validator.issuing.IssuedTrophyRow;
import org.accomplishments.validator.overview.AccomplishmentCounts;
import org.accomplishments.validator.overview.LedgerGroupedCounts;
import org.accomplishments.validator.overview.StateCounts;
import org.accomplishments.validator.overview.VerdictRollup;
import org.accomplishments.validator.validation.TrophyRow;
import org.accomplishments.validator.validation.TrophyState;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, "acting from the UI": a revoked award is REVOKED everywhere (its award, its ledger row, the counts, the
 * API), is never signed again by a rescan nor validated again, and can be awarded again; the share's file is
 * replaced only while it is exactly the one the server wrote. Admins rescan, reload and revalidate with buttons
 * (audited); errors are pages for browsers and JSON for the API.
 */
@MicronautTest(transactional = false)
class RevokeReissueAndOperatorActionsTest extends WebScenario {
    @Inject
    HumanIssuedTrophies issued;
    @Inject
    StateCounts stateCounts;
    @Inject
    AccomplishmentCounts accomplishmentCounts;
    @Inject
    DataSource dataSource;
    @Inject
    VerdictRollup rollup;

    @Test
    void aRevokedAwardIsRevokedEverywhereAndCanBeAwardedAgain() throws Exception {
        Share dora = newShare("dora", null);
        await(() -> registry.find(dora.id()).filter(s -> s.accepted()), Duration.ofSeconds(20), "dora accepted");
        WebSession root = loggedIn("root", ADMIN_PASSWORD);
        long first = issue(root, dora, "for the first release");
        Path trophy = dora.folder().resolve("scn/award.trophy");
        Path asc = dora.folder().resolve("scn/award.trophy.asc");
        byte[] firstTrophy = Files.readAllBytes(trophy);
        TrophyRow row = signedRow(dora);
        long signedBefore = ledger.countsByState().get("signed");

        root.page("/issued/" + first);
        revoke(root, first, "issued to the wrong Dora");

        IssuedTrophyRow award = issued.find(first).orElseThrow();
        assertEquals("REVOKED", award.state());
        assertEquals(TrophyState.REVOKED, ledger.find(row.id()).orElseThrow().trophyState());
        assertEquals(signedBefore - 1, ledger.countsByState().get("signed"), "not counted as signed any more");
        assertEquals(1L, ledger.countsByState().get("revoked"));
        assertCountsAreTheLedgers();
        String api = root.getApi("/api/issued/" + first).body();
        assertTrue(api.contains("\"state\":\"revoked\""), api);
        String trophyApi = root.getApi("/api/trophies/" + row.id()).body();
        assertTrue(trophyApi.contains("\"state\":\"revoked\""), trophyApi);
        assertTrue(root.page("/issued").contains("state-revoked"));
        assertTrue(root.page("/trophies/" + row.id()).contains("Revoked: this trophy's award was revoked"));
        assertTrue(ledger.history(row.id()).stream().anyMatch(e -> e.kind().equals("revoked")));

        // The rescan button: its signature is not written again, even when it goes missing.
        byte[] revokedSignature = Files.readAllBytes(asc);
        Files.delete(asc);
        HttpResponse<String> rescan = root.post("/admin/rescan", Map.of());
        assertEquals(200, rescan.statusCode(), rescan.body());
        assertTrue(rescan.body().contains("rescanned"), rescan.body());
        assertFalse(Files.exists(asc), "a revoked signature is never written again");
        assertEquals(TrophyState.REVOKED, ledger.find(row.id()).orElseThrow().trophyState());
        // Nor is it validated again from the page's button.
        HttpResponse<String> again = root.post("/trophies/" + row.id() + "/revalidate", Map.of());
        assertEquals(409, again.statusCode(), again.body());
        assertTrue(again.body().contains("its award was revoked"), again.body());
        Files.write(asc, revokedSignature); // as the user's client may well sync it back

        // Awarded again: the unchanged .trophy the server wrote for the revoked award is replaced.
        HttpResponse<String> preview = root.post("/issue/preview", Map.of("share", dora.id(),
                "accomplishment", "scn/award", "note", "for the second release"));
        assertEquals(200, preview.statusCode(), preview.body());
        assertTrue(preview.body().contains("it is replaced by this one"), preview.body());
        long second = issue(root, dora, "for the second release");
        assertNotEquals(first, second);
        assertEquals("ISSUED", issued.find(second).orElseThrow().state());
        assertFalse(java.util.Arrays.equals(firstTrophy, Files.readAllBytes(trophy)), "the new trophy is written");
        assertTrue(Files.readString(trophy).contains("for the second release"));
        assertFalse(java.util.Arrays.equals(revokedSignature, Files.readAllBytes(asc)), "a new signature");
        signedRow(dora);
        assertEquals("REVOKED", issued.find(first).orElseThrow().state(), "the old award stays revoked");
        assertTrue(root.getApi("/api/revocations").body().contains(award.signedTextSha256()),
                "its signature stays in the revocation list");

        String audit = root.page("/admin/audit");
        assertTrue(audit.contains("rescan") && audit.contains("revalidate-refused")
                && audit.contains("again after the revoked #" + first), audit);
        assertCountsAreTheLedgers();
        rollup.rollUp(); // the first run takes the head of the history as its limit,
        rollup.rollUp(); // the second rolls the counts up to it
        assertCountsAreTheLedgers();
    }

    /**
     * The counts by state the dashboard, /api/status and /prometheus show (kept from the history, V10), and those by
     * accomplishment of /counts (V11), are the ledger's own GROUP BY: issued, revoked, awarded again, rescanned,
     * revalidated. Both are read again until they agree, as the pipeline may move a trophy between the two reads.
     */
    private void assertCountsAreTheLedgers() {
        await(() -> Optional.of(stateCounts.now().byState()).filter(kept -> kept.equals(ledger.countsByState())),
                Duration.ofSeconds(20), "the kept counts agree with the ledger's " + ledger.countsByState());
        await(() -> Optional.of(accomplishmentCounts.counts().byAccomplishment())
                        .filter(kept -> kept.equals(LedgerGroupedCounts.byAccomplishment(dataSource))),
                Duration.ofSeconds(20), "the kept counts by accomplishment agree with the ledger's "
                        + LedgerGroupedCounts.byAccomplishment(dataSource));
    }

    @Test
    void aTrophyTheUserChangedAfterTheRevocationIsTheirsAndStays() throws Exception {
        Share emil = newShare("emil", null);
        await(() -> registry.find(emil.id()).filter(s -> s.accepted()), Duration.ofSeconds(20), "emil accepted");
        WebSession root = loggedIn("root", ADMIN_PASSWORD);
        long first = issue(root, emil, "");
        root.page("/issued/" + first);
        revoke(root, first, "a test");
        Path trophy = emil.folder().resolve("scn/award.trophy");
        byte[] users = (Files.readString(trophy) + "comment = mine now\n").getBytes();
        Files.write(trophy, users);

        HttpResponse<String> preview = root.post("/issue/preview", Map.of("share", emil.id(),
                "accomplishment", "scn/award"));
        assertEquals(422, preview.statusCode(), preview.body());
        assertTrue(preview.body().contains("already holds scn/award.trophy; nothing is replaced"), preview.body());
        HttpResponse<String> confirmed = root.post("/issue", Map.of("share", emil.id(), "accomplishment", "scn/award"));
        assertEquals(409, confirmed.statusCode(), confirmed.body());
        assertArrayEquals(users, Files.readAllBytes(trophy), "the user's file is left as it is");
    }

    @Test
    void adminsReloadAndRevalidateWithButtonsAndViewersMayNot() {
        Share finn = newShare("finn", "finn@example.org");
        putTrophy(finn, "first", "finn@example.org");
        awaitState(finn, "first", TrophyState.SIGNED, Duration.ofSeconds(30));
        long id = ledger.current(finn.id()).stream().filter(r -> r.path().equals("scn/first.trophy")).findFirst()
                .orElseThrow().id();
        WebSession root = loggedIn("root", ADMIN_PASSWORD);
        assertTrue(root.page("/admin/collections").contains("id=\"reload-collections\""));
        assertTrue(root.page("/shares").contains("id=\"rescan\""));
        assertTrue(root.page("/trophies/" + id).contains("id=\"revalidate\""));

        HttpResponse<String> reload = root.post("/admin/collections/reload", Map.of());
        assertEquals(200, reload.statusCode(), reload.body());
        assertTrue(reload.body().contains("reloaded 2 collections"), reload.body());
        HttpResponse<String> revalidate = root.post("/trophies/" + id + "/revalidate", Map.of());
        assertEquals(303, revalidate.statusCode(), revalidate.body());
        awaitState(finn, "first", TrophyState.SIGNED, Duration.ofSeconds(30));
        assertTrue(ledger.history(id).stream().anyMatch(e -> e.kind().equals("revalidate")
                && e.detail().contains("requested by root in the web UI")));
        String audit = root.page("/admin/audit");
        assertTrue(audit.contains("reload-collections") && audit.contains("revalidate"), audit);

        WebSession vic = loggedIn("vic", PASSWORD);
        assertFalse(vic.page("/shares").contains("id=\"rescan\""), "no button for a viewer");
        vic.page("/trophies/" + id);
        HttpResponse<String> refused = vic.post("/admin/rescan", Map.of());
        assertEquals(403, refused.statusCode());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(refused.body().contains("403 Forbidden") && refused.body().contains("may not do this"),
                refused.body());
        HttpResponse<String> forged = root.postRaw("/admin/rescan", Map.of("_csrf", "forged"));
        assertEquals(403, forged.statusCode());
        assertTrue(forged.body().contains("CSRF token is missing or stale"), forged.body());
    }

    @Test
    void errorsArePagesForBrowsersAndJsonForTheApi() {
        WebSession vic = loggedIn("vic", PASSWORD);
        HttpResponse<String> missing = vic.get("/no/such/page");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(missing.body().contains("There is no page at /no/such/page") && missing.body().contains("<nav"),
                missing.body());
        HttpResponse<String> wrongMethod = vic.get("/admin/rescan");
        assertEquals(405, wrongMethod.statusCode());
        assertTrue(wrongMethod.body().contains("405 Method Not Allowed"), wrongMethod.body());
        HttpResponse<String> forbidden = vic.get("/admin/users");
        assertEquals(403, forbidden.statusCode());
        assertTrue(forbidden.body().contains("vic (viewer) may not do this"), forbidden.body());

        HttpResponse<String> apiMissing = vic.getApi("/api/no-such-thing");
        assertEquals(404, apiMissing.statusCode());
        assertTrue(apiMissing.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                apiMissing.headers().toString());
        HttpResponse<String> apiForbidden = vic.getApi("/admin/users");
        assertEquals(403, apiForbidden.statusCode());
        assertTrue(apiForbidden.body().startsWith("{") && apiForbidden.body().contains("may not do this"),
                apiForbidden.body());
    }

    private long issue(WebSession session, Share share, String note) {
        HttpResponse<String> confirmed = session.post("/issue", Map.of("share", share.id(),
                "accomplishment", "scn/award", "note", note));
        assertEquals(303, confirmed.statusCode(), confirmed.body());
        return Long.parseLong(confirmed.headers().firstValue("Location").orElseThrow().replaceAll("\\D+", " ")
                .strip().split(" ")[0]);
    }

    private void revoke(WebSession session, long id, String reason) {
        HttpResponse<String> asked = session.post("/issued/" + id + "/revoke", Map.of("reason", reason));
        assertEquals(200, asked.statusCode(), asked.body());
        assertTrue(asked.body().contains("id=\"confirm-revoke\""), asked.body());
        HttpResponse<String> done = session.post("/issued/" + id + "/revoke", Map.of("reason", reason, "confirm", "yes"));
        assertEquals(303, done.statusCode(), done.body());
    }

    private TrophyRow signedRow(Share share) {
        return await(() -> ledger.current(share.id()).stream()
                .filter(r -> r.path().equals("scn/award.trophy") && r.trophyState() == TrophyState.SIGNED)
                .findFirst(), Duration.ofSeconds(20), share.owner() + "'s award signed in the ledger");
    }
}
