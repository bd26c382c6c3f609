package com.tobwh.generate;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Daily FX fixings in CNY per unit of USD, EUR and HKD (plus CNY itself at 1), as a
 * mean-reverting random walk. Fixings are published on working days only, so readers must use
 * the latest earlier rate on weekends and holidays; the first day always has every rate.
 */
final class FxMarket {
    /** Currencies in the order the file lists them. */
    public static final List<String> CURRENCIES = List.of("USD", "EUR", "HKD", "CNY");

    private static final Set<MonthDay> FIXED_HOLIDAYS = Set.of(
            MonthDay.of(1, 1), MonthDay.of(5, 1), MonthDay.of(5, 2), MonthDay.of(5, 3), MonthDay.of(5, 4),
            MonthDay.of(5, 5), MonthDay.of(10, 1), MonthDay.of(10, 2), MonthDay.of(10, 3), MonthDay.of(10, 4),
            MonthDay.of(10, 5), MonthDay.of(10, 6), MonthDay.of(10, 7));
    // Lunar holidays move every year; 2026's are listed (Spring Festival, Qingming, Dragon Boat, Mid-Autumn).
    private static final Set<LocalDate> LUNAR_HOLIDAYS = Set.of(
            LocalDate.of(2026, 2, 16), LocalDate.of(2026, 2, 17), LocalDate.of(2026, 2, 18),
            LocalDate.of(2026, 2, 19), LocalDate.of(2026, 2, 20), LocalDate.of(2026, 4, 6),
            LocalDate.of(2026, 6, 19), LocalDate.of(2026, 9, 25));

    private final TreeMap<LocalDate, Map<String, BigDecimal>> published = new TreeMap<>();

    public FxMarket(SimCalendar cal, Rng rng) {
        double usd = Math.log(7.10);
        double eur = Math.log(7.80);
        double peg = 0.0;
        for (int i = 0; i < cal.days(); i++) {
            LocalDate d = cal.date(i);
            // The walk moves every day; only the fixing is skipped on days off.
            usd += 0.05 * (Math.log(7.10) - usd) + 0.0025 * rng.gaussian();
            eur += 0.04 * (Math.log(7.80) - eur) + 0.0040 * rng.gaussian();
            peg += 0.10 * (0.0 - peg) + 0.0005 * rng.gaussian();
            if (i == 0 || !closed(d)) {
                Map<String, BigDecimal> r = new LinkedHashMap<>();
                r.put("USD", Money.rate(Math.exp(usd)));
                r.put("EUR", Money.rate(Math.exp(eur)));
                r.put("HKD", Money.rate(Math.exp(usd) / 7.80 * (1 + peg)));
                r.put("CNY", BigDecimal.ONE.setScale(4));
                published.put(d, r);
            }
        }
    }

    public static boolean closed(LocalDate d) {
        return SimCalendar.weekend(d) || FIXED_HOLIDAYS.contains(MonthDay.from(d)) || LUNAR_HOLIDAYS.contains(d);
    }

    /** The rate in force on {@code d}: that day's fixing or the latest earlier one. */
    public BigDecimal rateOn(LocalDate d, String currency) {
        Map.Entry<LocalDate, Map<String, BigDecimal>> e = published.floorEntry(d);
        if (e == null) {
            throw new IllegalArgumentException("no fx rate on or before " + d);
        }
        BigDecimal r = e.getValue().get(currency);
        if (r == null) {
            throw new IllegalArgumentException("unknown currency " + currency);
        }
        return r;
    }

    /** Rows of the day's {@code fx_rates.csv}, empty on days without a fixing. */
    public List<Object[]> rows(LocalDate d) {
        List<Object[]> rows = new ArrayList<>();
        Map<String, BigDecimal> r = published.get(d);
        if (r != null) {
            r.forEach((c, v) -> rows.add(new Object[] {Timestamps.date(d), c, v}));
        }
        return rows;
    }
}
