package org.accomplishments.validator.overview;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stacked bar charts as inline SVG, drawn on the server: no script, nothing fetched (the pages' CSP allows neither).
 * It scales with its container ({@code viewBox}, width 100 %); each bar segment has a {@code <title>} with its
 * figures, and the page gives the same numbers as a table for screen readers.
 */
public final class SvgChart {
    /** A series' colour; the pages' legend uses the same. */
    public static final Map<String, String> COLOURS = Map.of("signed", "#1e6b32", "issued", "#5a9e6b",
            "rejected", "#a4262c", "waiting", "#b07d00", "revoked", "#6b3fa0", "ignored", "#8a8a94");
    private static final int WIDTH = 760;
    private static final int HEIGHT = 220;
    private static final int LEFT = 48;
    private static final int RIGHT = 8;
    private static final int TOP = 10;
    private static final int BOTTOM = 30;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private SvgChart() {
    }

    /** {@code hourly}: labels are hours (else days); one label every {@code labelEvery} bars. */
    public static String stacked(String id, String title, List<Activity.Bucket> buckets, boolean hourly, int labelEvery) {
        long max = Math.max(1, buckets.stream().mapToLong(Activity.Bucket::total).max().orElse(0));
        long top = niceCeiling(max);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        double slot = (double) plotW / Math.max(1, buckets.size());
        double bar = Math.max(1, slot * 0.8);
        StringBuilder svg = new StringBuilder(8192);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"").append(id)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"100%\" role=\"img\" aria-labelledby=\"").append(id).append("-title\">")
                .append("<title id=\"").append(id).append("-title\">").append(title).append("</title>");
        for (int i = 0; i <= 2; i++) {
            double y = TOP + plotH - plotH * i / 2.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d5d5dc\"/>",
                    LEFT, y, WIDTH - RIGHT, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" "
                    + "fill=\"#5b5b66\">%d</text>", LEFT - 4, y + 4, top * i / 2));
        }
        for (int b = 0; b < buckets.size(); b++) {
            Activity.Bucket bucket = buckets.get(b);
            double x = LEFT + b * slot + (slot - bar) / 2;
            double y = TOP + plotH;
            for (String series : Activity.SERIES) {
                long n = bucket.counts().getOrDefault(series, 0L);
                if (n == 0) {
                    continue;
                }
                double h = (double) plotH * n / top;
                y -= h;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"%s\" class=\"bar-%s\"><title>%s: %d %s</title></rect>", x, y, bar, Math.max(h, 0.5),
                        COLOURS.get(series), series, FULL.format(bucket.start()), n, series));
            }
            if (b % labelEvery == 0) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                        + "fill=\"#5b5b66\">%s</text>", x + bar / 2, HEIGHT - 12,
                        (hourly ? HOUR : DAY).format(bucket.start())));
            }
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#5b5b66\"/>",
                LEFT, TOP + plotH, WIDTH - RIGHT, TOP + plotH));
        return svg.append("</svg>").toString();
    }

    /** 1, 2, 5 × 10^n at or above the value, so the axis reads in round numbers. */
    static long niceCeiling(long value) {
        long magnitude = 1;
        while (magnitude * 10 <= value) {
            magnitude *= 10;
        }
        for (long step : new long[] {1, 2, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
