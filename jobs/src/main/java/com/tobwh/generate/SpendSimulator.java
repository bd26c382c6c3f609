package com.tobwh.generate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Produces the ad platforms' daily cost exports. Clicks cover at least the paid sessions the
 * tracker saw per campaign and day (plus clicks that never loaded the page), so spend and
 * sessions agree; platforms later restate some days with corrected costs.
 */
final class SpendSimulator {
    static final double RESTATE_SHARE = 0.07;

    private final SimCalendar cal;
    private final AdCatalog ads;
    private final double scale;
    private final Rng r;
    private final Map<String, int[]> paidSessions = new HashMap<>();
    /** Latest delivered row per (date, campaign): restatements start from it. */
    private final Map<String, Object[]> latest = new LinkedHashMap<>();
    private long restated;

    SpendSimulator(SimCalendar cal, AdCatalog ads, double scale, long seed) {
        this.cal = cal;
        this.ads = ads;
        this.scale = scale;
        this.r = Rng.stream(seed, "spend", 0);
    }

    void countSessions(List<WebSession> sessions) {
        for (WebSession s : sessions) {
            Campaign c = s.source.campaign();
            if (c != null) {
                int d = cal.index(SimCalendar.dateOf(s.start));
                if (d >= 0 && d < cal.days()) {
                    paidSessions.computeIfAbsent(c.id(), k -> new int[cal.days()])[d]++;
                }
            }
        }
    }

    long restatedRows() {
        return restated;
    }

    /** Final spend per platform after all restatements, in the platform's currency. */
    Map<String, BigDecimal> finalSpend() {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        for (Object[] row : latest.values()) {
            out.merge((String) row[1], (BigDecimal) row[6], BigDecimal::add);
        }
        return out;
    }

    /** Rows of one platform's file for day {@code d}: that day's campaigns, then any restated rows. */
    List<Object[]> rows(String platform, int d) {
        List<Object[]> rows = new ArrayList<>();
        for (Campaign c : ads.campaigns(platform)) {
            if (!c.activeOn(d)) {
                continue;
            }
            Object[] row = platform.equals("trade_show") ? show(c, d) : digital(c, d);
            latest.put(key(d, c), row);
            rows.add(row);
        }
        if (!rows.isEmpty() && d > 0 && r.chance(RESTATE_SHARE)) {
            int back = r.between(1, Math.min(7, d));
            for (Campaign c : ads.campaigns(platform)) {
                Object[] old = latest.get(key(d - back, c));
                if (old == null) {
                    continue;
                }
                BigDecimal cost = (BigDecimal) old[6];
                BigDecimal changed = Money.amount(cost.doubleValue() * r.uniform(0.85, 1.15));
                if (changed.compareTo(cost) == 0) {
                    changed = changed.add(new BigDecimal("0.01"));
                }
                Object[] row = old.clone();
                row[6] = changed;
                latest.put(key(d - back, c), row);
                rows.add(row);
                restated++;
            }
        }
        return rows;
    }

    private Object[] digital(Campaign c, int d) {
        int[] sessions = paidSessions.get(c.id());
        int seen = sessions == null ? 0 : sessions[d];
        boolean weekend = SimCalendar.weekend(cal.date(d));
        int clicks = seen + (int) Math.round(seen * r.uniform(0.1, 0.6)) + r.poisson(2.0 * scale * (weekend ? 0.5 : 1));
        long impressions = Math.round(clicks / (c.ctr() * r.uniform(0.7, 1.3))) + r.poisson(20 * scale);
        BigDecimal cost = Money.amount(clicks * c.cpc() * r.uniform(0.8, 1.2));
        return new Object[] {Timestamps.date(cal.date(d)), c.platform(), c.id(), c.name(), impressions, clicks, cost,
            c.currency()};
    }

    /** Booth fee on the first show day, small running costs after: spend is lumpy. */
    private Object[] show(Campaign c, int d) {
        boolean opening = d == c.fromDay();
        double base = opening ? r.uniform(60_000, 180_000) : r.uniform(3_000, 10_000);
        long visitors = Math.round(r.uniform(800, 3000) * Math.max(scale, 0.05));
        int scans = (int) Math.round(visitors * r.uniform(0.04, 0.09));
        return new Object[] {Timestamps.date(cal.date(d)), c.platform(), c.id(), c.name(), visitors, scans,
            Money.amount(base * Math.max(scale, 0.05)), c.currency()};
    }

    private String key(int d, Campaign c) {
        return d + "|" + c.id();
    }
}
