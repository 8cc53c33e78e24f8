package org.accomplishments.validator.web;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.overview.AccomplishmentCounts;
import org.accomplishments.validator.overview.LedgerGroupedCounts;
import org.accomplishments.validator.overview.VerdictRollup;
import org.accomplishments.validator.validation.TrophyState;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeing what happens (issue 14): a viewer sees verdicts per hour and day as SVG, the last hour and the backlog,
 * narrows the trophy list by owner, state, reason, accomplishment and time and downloads it as CSV that a
 * spreadsheet cannot take for formulas; an issuer does the same with the issued list; a share has its own page.
 */
@MicronautTest(transactional = false)
class InsightPagesTest extends WebScenario {
    @Inject
    VerdictRollup rollup;
    @Inject
    AccomplishmentCounts accomplishmentCounts;
    @Inject
    DataSource dataSource;

    @Test
    void aViewerSeesVerdictsOverTimeFiltersTheListsAndExportsThem() throws Exception {
        Share alice = newShare("alice", "alice@example.org");
        Share mallory = newShare("=2+5", "mallory@example.org");
        putTrophy(alice, "first", "alice@example.org");
        putTrophy(mallory, "first", "someone-else@example.org");
        awaitState(alice, "first", TrophyState.SIGNED, Duration.ofSeconds(30));
        awaitState(mallory, "first", TrophyState.REJECTED, Duration.ofSeconds(30));
        rollup.rollUp(); // the first run takes the head of the history as its limit,
        rollup.rollUp(); // the second counts up to it

        WebSession vic = loggedIn("vic", PASSWORD);
        String dashboard = vic.page("/");
        assertTrue(dashboard.contains("<svg") && dashboard.contains("id=\"chart-hourly\"")
                && dashboard.contains("id=\"chart-daily\""), dashboard);
        assertTrue(dashboard.contains("class=\"bar-signed\"") && dashboard.contains("class=\"bar-rejected\""),
                "this hour's bar has a signed and a rejected part: " + dashboard);
        assertFalse(dashboard.contains("<script"), "no script on the page");
        assertTrue(dashboard.contains("id=\"last-hour\"") && dashboard.contains("id=\"backlog\""), dashboard);

        String byOwner = vic.page("/trophies?owner=" + enc("=2+5"));
        assertTrue(byOwner.contains(mallory.id()) && !byOwner.contains(alice.id()), byOwner);
        String bySignedState = vic.page("/trophies?state=signed&accomplishment=scn");
        assertTrue(bySignedState.contains(alice.id()) && !bySignedState.contains(mallory.id()), bySignedState);
        String byReason = vic.page("/trophies?reason=information-mismatch");
        assertTrue(byReason.contains(mallory.id()) && !byReason.contains(alice.id()), byReason);
        String future = vic.page("/trophies?from=2999-01-01");
        assertTrue(future.contains("No trophies match."), future);
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String seenToday = vic.page("/trophies?state=signed&from=" + today + "&to=" + today);
        assertTrue(seenToday.contains(alice.id()) && !seenToday.contains(mallory.id()), seenToday);
        String past = vic.page("/trophies?to=2000-01-01");
        assertTrue(past.contains("No trophies match."), past);
        HttpResponse<String> badTime = vic.get("/trophies?from=yesterday");
        assertEquals(400, badTime.statusCode());
        assertTrue(badTime.body().contains("a time is written 2026-12-03"), badTime.body());

        HttpResponse<String> csv = vic.get("/trophies.csv?accomplishment=scn/first");
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), csv.headers().toString());
        String[] lines = csv.body().split("\r\n");
        assertEquals("id,share,owner,path,accomplishment,state,reason,detail,attempts,first_seen,updated,verdict,signed_by",
                lines[0]);
        assertEquals(3, lines.length, csv.body());
        assertTrue(csv.body().contains(",'=2+5,"), "the owner is text, not a formula: " + csv.body());
        assertFalse(csv.body().contains(",=2+5,"), csv.body());

        String sharePage = vic.page("/share?id=" + enc(alice.id()));
        assertTrue(sharePage.contains("scn/first.trophy") && sharePage.contains("alice"), sharePage);
        assertEquals(404, vic.get("/share?id=nobody").statusCode());
        String counts = vic.page("/counts");
        assertTrue(counts.contains("scn/first") && counts.contains("id=\"collection-counts\""), counts);
        // Kept from the history: each trophy was found without an accomplishment, then read, then judged.
        assertEquals(LedgerGroupedCounts.byAccomplishment(dataSource), accomplishmentCounts.counts().byAccomplishment());
        assertFalse(counts.contains("counts-incomplete"), counts);
        assertFalse(counts.contains("counts-next"), "one page holds both accomplishments: " + counts);
        String oneCollection = vic.page("/counts?collection=scn");
        assertTrue(oneCollection.contains("scn/first") && oneCollection.contains("id=\"counts-all\""), oneCollection);
        assertFalse(vic.page("/counts?collection=nothing-here").contains("scn/first"));
        assertFalse(vic.page("/counts?after=scn/first").contains("scn/first</a>"), "the page after it");

        WebSession ivy = loggedIn("ivy", PASSWORD);
        HttpResponse<String> issued = ivy.post("/issue", Map.of("share", alice.id(), "accomplishment", "scn/award",
                "note", "=HYPERLINK(\"https://evil.example\")", "evidence", "https://example.org/party"));
        assertEquals(303, issued.statusCode(), issued.body());
        String issuedList = ivy.page("/issued?owner=alice&state=issued");
        assertTrue(issuedList.contains("scn/award"), issuedList);
        assertTrue(ivy.page("/issued?state=revoked").contains("Nothing issued matches."));
        HttpResponse<String> issuedCsv = ivy.get("/issued.csv?share=" + enc(alice.id()));
        assertEquals(200, issuedCsv.statusCode(), issuedCsv.body());
        assertTrue(issuedCsv.body().contains("\"'=HYPERLINK(\"\"https://evil.example\"\")\""), issuedCsv.body());
        assertEquals(403, vic.get("/issued.csv").statusCode(), "the issued list is for issuers, as before");
        assertTrue(vic.page("/share?id=" + enc(alice.id())).contains("scn/award"), "the share page lists its awards");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
