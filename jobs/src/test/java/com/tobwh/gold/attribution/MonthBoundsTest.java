package com.tobwh.gold.attribution;

import com.tobwh.SparkTestSession;
import com.tobwh.pipeline.Incremental;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The partition bounds a rebuild by month reads its inputs within: every row feeding the keys must fall inside
 * (a row outside would be left out of the rebuild, silently), and the history well before must not.
 */
class MonthBoundsTest {
    /**
     * Conversion month May 2026, a 30-day lookback, fits over 3 months. A touch feeds May when May lies between
     * the month of the day before it and two months after the month 31 days after it:
     * <pre>
     * 2026-01-28 → Jan … Feb + 2 = Apr          no
     * 2026-01-29 → Jan … Mar (Mar 1) + 2 = May  yes (the earliest)
     * 2026-06-01 → May (May 31) … Sep            yes (the latest)
     * 2026-06-02 → Jun …                         no
     * </pre>
     * The bound: touch months from January (Mar 1 less 32 days is Jan 28) to June; so December and July are not read.
     */
    @Test
    void theTouchBoundHoldsEveryTouchFeedingTheMonthAndNotTheHistoryBefore() {
        Dataset<Row> days = SparkTestSession.get().sql("""
                SELECT d AS touch_date, CAST(d AS TIMESTAMP) + INTERVAL 12 HOURS AS touch_time,
                       trunc(d, 'MM') AS touch_month
                FROM (SELECT explode(sequence(DATE'2025-11-01', DATE'2026-08-31')) AS d)""");
        Column feeds = array_contains(Journeys.monthsFed(col("touch_time"), 30, 3), lit("2026-05-01").cast("date"));
        Column bound = Journeys.touchMonthsFeeding("touch_month", Set.of("2026-05-01"), 30, 3);

        assertEquals(0, days.filter(feeds.and(not(bound))).count(), "a touch feeding May outside the bound");
        assertEquals(List.of("2026-01-29", "2026-06-01"), range(days.filter(feeds), "touch_date"));
        assertEquals(List.of("2026-01-01", "2026-06-01"), range(days.filter(bound), "touch_month"));
    }

    /** Keys of months alone and keys leading with a month (month|model) give the partitions of their months. */
    @Test
    void keysLeadingWithAMonthReadTheirMonthsPartitions() {
        Dataset<Row> months = SparkTestSession.get().sql(
                "SELECT explode(sequence(DATE'2026-01-01', DATE'2026-06-01', INTERVAL 1 MONTH)) AS month");
        assertEquals(List.of("2026-03-01", "2026-05-01"), monthsIn(months, Incremental.Rule.inKeyMonths("month")
                .apply(null, Set.of("2026-03-01|linear", "2026-05-01|markov", "2026-03-01|shapley"))));
        assertEquals(List.of("2026-02-01"), monthsIn(months, Incremental.Rule.inKeyMonths("month")
                .apply(null, Set.of("2026-02-01"))));
    }

    private static List<String> range(Dataset<Row> rows, String column) {
        Row r = rows.selectExpr("CAST(min(" + column + ") AS STRING)", "CAST(max(" + column + ") AS STRING)").first();
        return List.of(r.getString(0), r.getString(1));
    }

    private static List<String> monthsIn(Dataset<Row> months, Column bound) {
        return months.filter(bound).orderBy("month").selectExpr("CAST(month AS STRING)").as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }
}
