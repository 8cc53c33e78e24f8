package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.overview.AccomplishmentCounts;
import org.accomplishments.validator.overview.Activity;
import org.accomplishments.validator.overview.IssuedList;
import org.accomplishments.validator.overview.ListFilter;
import org.accomplishments.validator.overview.ReadFailed;
import org.accomplishments.validator.overview.SvgChart;
import org.accomplishments.validator.overview.TrophyList;
import org.accomplishments.validator.share.ShareRepository;
import org.accomplishments.validator.share.ShareRow;
import org.accomplishments.validator.validation.TrophyState;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Seeing what happens (issue 14): the trophy list ({@code /trophies}) and the issued list ({@code /issued}) with
 * filters and their CSV ({@code /trophies.csv}, {@code /issued.csv}), one share's page ({@code /share?id=}) and
 * the counts by collection and accomplishment ({@code /counts}). The dashboard's charts, last hour and backlog are
 * put in its model by {@link #activity}.
 */
@Access(Access.Need.READ)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class InsightController {
    static final int PAGE = DashboardController.PAGE;
    /** Accomplishments per page of /counts. */
    static final int COUNTS_PAGE = 100;
    /** Rows in one CSV download; more: the response names the id to continue {@code before}. */
    static final int CSV_MAX_ROWS = 10_000;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final TrophyList trophies;
    private final IssuedList issued;
    private final AccomplishmentCounts counts;
    private final ShareRepository shares;
    private final Clock clock;

    public InsightController(TrophyList trophies, IssuedList issued, AccomplishmentCounts counts,
                             ShareRepository shares, Clock clock) {
        this.trophies = trophies;
        this.issued = issued;
        this.counts = counts;
        this.shares = shares;
        this.clock = clock;
    }

    @Get(value = "/trophies", produces = MediaType.TEXT_HTML)
    HttpResponse<?> trophyList(HttpRequest<?> request, @RequestBean ListParams params) {
        Map<String, Object> model = Pages.model(request);
        model.put("states", Arrays.stream(TrophyState.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
        return listPage("trophies", model, params, (f, b) -> trophies.page(f, b, PAGE + 1), TrophyList.Line::id);
    }

    @Get(value = "/trophies.csv", produces = {"text/csv", MediaType.TEXT_HTML, MediaType.TEXT_PLAIN, MediaType.ALL})
    HttpResponse<?> trophyCsv(@RequestBean ListParams params) {
        return csv("trophies", List.of("id", "share", "owner", "path", "accomplishment", "state", "reason", "detail",
                        "attempts", "first_seen", "updated", "verdict", "signed_by"),
                params, (f, b) -> trophies.page(f, b, 1000),
                TrophyList.Line::id, t -> List.of(Long.toString(t.id()), t.shareId(), t.owner(), t.path(),
                        nz(t.accomplishmentId()), lower(t.state()), nz(t.reason()), nz(t.detail()),
                        Integer.toString(t.attempts()), iso(t.firstSeenAt()), iso(t.updatedAt()), iso(t.verdictAt()),
                        nz(t.signedBy())));
    }

    @Access(Access.Need.ISSUE)
    @Get(value = "/issued", produces = MediaType.TEXT_HTML)
    HttpResponse<?> issuedList(HttpRequest<?> request, @RequestBean ListParams params) {
        Map<String, Object> model = Pages.model(request);
        model.put("states", IssuedList.STATES);
        return listPage("issued", model, params, (f, b) -> issued.page(f, b, PAGE + 1), IssuedList.Line::id);
    }

    @Access(Access.Need.ISSUE)
    @Get(value = "/issued.csv", produces = {"text/csv", MediaType.TEXT_HTML, MediaType.TEXT_PLAIN, MediaType.ALL})
    HttpResponse<?> issuedCsv(@RequestBean ListParams params) {
        return csv("issued", List.of("id", "issued", "accomplishment", "owner", "share", "issuer", "state", "note",
                        "evidence", "revoked", "revoked_by", "revoke_reason"),
                params, (f, b) -> issued.page(f, b, 1000),
                IssuedList.Line::id, i -> List.of(Long.toString(i.id()), iso(i.issuedAt()), i.accomplishmentId(),
                        i.owner(), i.shareId(), i.issuer(), i.state(), nz(i.note()), nz(i.evidence()),
                        iso(i.revokedAt()), nz(i.revokedBy()), nz(i.revokeReason())));
    }

    /** One share: what it is, its trophies by state, its trophies newest first and the awards made into it. */
    @Get(value = "/share", produces = MediaType.TEXT_HTML)
    HttpResponse<?> share(HttpRequest<?> request, @QueryValue String id, @QueryValue @Nullable Long before) {
        Map<String, Object> model = Pages.model(request);
        Optional<ShareRow> row = shares.findById(id);
        if (row.isEmpty()) {
            model.put("message", "There is no share " + id + ".");
            return Pages.view("notfound", model).status(HttpStatus.NOT_FOUND);
        }
        ListFilter filter = ListFilter.of(null, id, null, null, null, null, null);
        long cursor = before == null || before <= 0 ? Long.MAX_VALUE : before;
        List<TrophyList.Line> rows = trophies.page(filter, cursor, PAGE + 1);
        boolean more = rows.size() > PAGE;
        List<TrophyList.Line> page = more ? rows.subList(0, PAGE) : rows;
        model.put("s", row.get());
        model.put("rows", page);
        model.put("older", more ? page.get(page.size() - 1).id() : null);
        model.put("stateCounts", trophies.countsOf(id));
        model.put("awards", issued.page(filter, Long.MAX_VALUE, 20));
        model.put("shareQuery", query(filter.parameters()));
        return Pages.view("share", model);
    }

    /**
     * The counts by collection, and by accomplishment a page at a time (names after {@code after}, or those of one
     * {@code collection}): a template cell costs a few reflective calls, and a thousand accomplishments on one page
     * took 0.9 s to render (DashboardBenchmark).
     */
    @Get(value = "/counts", produces = MediaType.TEXT_HTML)
    HttpResponse<?> counts(HttpRequest<?> request, @QueryValue @Nullable String after,
                           @QueryValue @Nullable String collection) {
        Map<String, Object> model = Pages.model(request);
        AccomplishmentCounts.Counts c = counts.counts();
        List<AccomplishmentCounts.Row> matching = c.accomplishments().stream()
                .filter(r -> collection == null || collection.isEmpty() || r.name().equals(collection)
                        || r.name().startsWith(collection + "/"))
                .filter(r -> after == null || r.name().compareTo(after) > 0)
                .limit(COUNTS_PAGE + 1L).toList();
        boolean more = matching.size() > COUNTS_PAGE;
        List<AccomplishmentCounts.Row> page = more ? matching.subList(0, COUNTS_PAGE) : matching;
        model.put("counts", c);
        model.put("accomplishments", page);
        model.put("collection", collection == null || collection.isEmpty() ? null : collection);
        model.put("nextAfter", more ? page.get(page.size() - 1).name() : null);
        model.put("states", Arrays.stream(TrophyState.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
                .filter(s -> c.collections().stream().anyMatch(r -> r.states().containsKey(s))).toList());
        return Pages.view("counts", model);
    }

    /**
     * The dashboard's view of the recent past: charts per hour (48 h) and per day (30 days), the last hour's
     * throughput and latency, and the backlog with an estimate of when the ready part of it is done.
     */
    static void activity(Map<String, Object> model, Activity activity, Map<String, Long> stateCounts, Clock clock) {
        try {
            model.put("hourChart", SvgChart.stacked("chart-hourly", "Verdicts per hour, last 48 hours (UTC)",
                    activity.hourly(48), true, 6));
            List<Activity.Bucket> days = activity.daily(30);
            model.put("dayChart", SvgChart.stacked("chart-daily", "Verdicts per day, last 30 days (UTC)", days, false, 5));
            model.put("days", days);
            Activity.LastHour hour = activity.lastHour();
            model.put("lastHour", hour);
            model.put("series", Activity.SERIES);
            model.put("colours", SvgChart.COLOURS);
            model.put("rollup", activity.mark());
            long ready = stateCounts.getOrDefault("pending", 0L) + stateCounts.getOrDefault("signing", 0L)
                    + stateCounts.getOrDefault("rejecting", 0L);
            long waiting = stateCounts.getOrDefault("waiting", 0L);
            model.put("backlogReady", ready);
            model.put("backlogWaiting", waiting);
            model.put("lastScheduled", activity.lastScheduledAttempt().orElse(null));
            Instant now = clock.instant();
            model.put("readyDoneBy", ready == 0 || hour.finalVerdicts() == 0 ? null
                    : now.plus(Duration.ofMillis((long) (ready * 3_600_000.0 / hour.finalVerdicts()))));
        } catch (ReadFailed e) {
            model.put("activityError", "the verdict rollup could not be read: " + e.getMessage());
        }
    }

    @FunctionalInterface
    interface Pager<T> {
        List<T> page(ListFilter filter, long before);
    }

    private static <T> HttpResponse<?> listPage(String view, Map<String, Object> model, ListParams params,
                                                Pager<T> pager, Function<T, Long> id) {
        model.put("rows", List.of());
        model.put("older", null);
        model.put("error", null);
        ListFilter filter;
        try {
            filter = params.filter();
        } catch (IllegalArgumentException e) {
            filter = params.filterWithoutTimes();
            model.put("error", e.getMessage());
        }
        model.put("f", filter);
        model.put("fromText", filter.from() == null ? nz(params.from()) : iso(filter.from()));
        model.put("toText", filter.to() == null ? nz(params.to()) : iso(filter.to()));
        String q = query(filter.parameters());
        model.put("query", q);
        model.put("csvHref", "/" + view + ".csv" + (q.isEmpty() ? "" : "?" + q));
        if (model.get("error") != null) {
            return Pages.view(view, model).status(HttpStatus.BAD_REQUEST);
        }
        try {
            List<T> rows = pager.page(filter, params.cursor());
            boolean more = rows.size() > PAGE;
            List<T> page = more ? rows.subList(0, PAGE) : rows;
            model.put("rows", page);
            model.put("older", more ? "/" + view + "?" + (q.isEmpty() ? "" : q + "&") + "before="
                    + id.apply(page.get(page.size() - 1)) : null);
            return Pages.view(view, model);
        } catch (IllegalArgumentException e) {
            model.put("error", e.getMessage());
            return Pages.view(view, model).status(HttpStatus.BAD_REQUEST);
        } catch (ReadFailed e) {
            model.put("error", e.timedOut() ? "This filter matches too little of a large ledger to list "
                    + "quickly; add a share, an accomplishment, a reason or a state." : "the list could not be read: "
                    + e.getMessage());
            return Pages.view(view, model).status(e.timedOut() ? HttpStatus.SERVICE_UNAVAILABLE
                    : HttpStatus.INTERNAL_SERVER_ERROR);
        }
    }

    private <T> HttpResponse<?> csv(String name, List<String> header, ListParams params, Pager<T> pager,
                                    Function<T, Long> id, Function<T, List<String>> cells) {
        ListFilter filter;
        try {
            filter = params.filter();
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(e.getMessage()).contentType(MediaType.TEXT_PLAIN_TYPE);
        }
        StringBuilder out = new StringBuilder(64 * 1024);
        long cursor = params.cursor();
        int written = 0;
        Long next = null;
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
            printer.printRecord(header);
            while (written < CSV_MAX_ROWS) {
                List<T> rows = pager.page(filter, cursor);
                for (T row : rows) {
                    if (written == CSV_MAX_ROWS) {
                        next = cursor;
                        break;
                    }
                    printer.printRecord(cells.apply(row).stream().map(CsvCells::safe).toList());
                    cursor = id.apply(row);
                    written++;
                }
                if (rows.isEmpty() || rows.size() < 1000) {
                    break;
                }
            }
            if (written == CSV_MAX_ROWS && next == null && !pager.page(filter, cursor).isEmpty()) {
                next = cursor;
            }
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(e.getMessage()).contentType(MediaType.TEXT_PLAIN_TYPE);
        } catch (ReadFailed e) {
            return HttpResponse.status(e.timedOut() ? HttpStatus.SERVICE_UNAVAILABLE
                    : HttpStatus.INTERNAL_SERVER_ERROR).body(e.timedOut()
                    ? "this filter matches too little of a large ledger to export quickly; narrow it"
                    : "the list could not be read: " + e.getMessage()).contentType(MediaType.TEXT_PLAIN_TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var response = HttpResponse.ok(out.toString().getBytes(StandardCharsets.UTF_8))
                .contentType(new MediaType("text/csv; charset=utf-8"))
                .header("Content-Disposition", "attachment; filename=\"" + name + "-" + FILE_TIME.format(clock.instant())
                        + ".csv\"");
        if (next != null) {
            // More rows than one file holds: the next file continues below this id.
            response.header("X-Continue-Before", Long.toString(next));
        }
        return response;
    }

    static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String iso(Instant t) {
        return t == null ? "" : t.toString();
    }
}
