package org.accomplishments.validator.overview;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InsightPartsTest {

    @Test
    void timesAreReadAsUtcAndADayAloneEndsAtItsEnd() {
        assertEquals(Instant.parse("2026-12-03T00:00:00Z"), ListFilter.time("2026-12-03", false));
        assertEquals(Instant.parse("2026-12-04T00:00:00Z"), ListFilter.time("2026-12-03", true));
        assertEquals(Instant.parse("2026-12-03T05:00:00Z"), ListFilter.time("2026-12-03 05:00", false));
        assertEquals(Instant.parse("2026-12-03T05:00:07Z"), ListFilter.time("2026-12-03T05:00:07Z", false));
        assertNull(ListFilter.time("  ", false));
        assertThrows(IllegalArgumentException.class, () -> ListFilter.time("yesterday", false));
    }

    @Test
    void aCollectionFilterMatchesItsAccomplishmentsOnlyLiterally() {
        assertEquals("ex\\_a\\%/%", ListFilter.prefix("ex_a%"));
        assertTrue(ListFilter.of(null, null, "example", null, null, null, null).collectionOnly());
    }

    @Test
    void latencyQuantilesNameTheBucketTheyFallIn() {
        long[] histogram = {90, 5, 5, 0, 0, 0, 0};
        assertEquals("≤ 1 s", Activity.quantile(histogram, 100, 0.5));
        assertEquals("≤ 10 s", Activity.quantile(histogram, 100, 0.95));
        assertNull(Activity.quantile(new long[7], 0, 0.5));
        assertEquals(1, VerdictRollup.latencyBucket(1_001));
        assertEquals(6, VerdictRollup.latencyBucket(90_000_000));
    }

    @Test
    void chartsStackTheSeriesWithTheirFiguresInTitles() {
        assertEquals(50, SvgChart.niceCeiling(41));
        assertEquals(1, SvgChart.niceCeiling(1));
        assertEquals(1000, SvgChart.niceCeiling(1000));
        Activity.Bucket hour = new Activity.Bucket(Instant.parse("2026-12-03T05:00:00Z"),
                Map.of("signed", 40L, "rejected", 1L));
        String svg = SvgChart.stacked("c", "Verdicts", List.of(hour), true, 1);
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"), svg);
        assertTrue(svg.contains("<title>2026-12-03 05:00 UTC: 40 signed</title>")
                && svg.contains("<title>2026-12-03 05:00 UTC: 1 rejected</title>"), svg);
        assertTrue(svg.contains(">50</text>"), "the axis tops at a round 50: " + svg);
    }
}
