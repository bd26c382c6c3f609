package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.gold.FctAttribution;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a night rebuilds of gold.fct_attribution, keyed by conversion month (lookback 180 days, fits over 12 months;
 * times +08:00).
 *
 * <pre>
 * last run as of 2026-03-30:
 *   Z  touch z 2024-06-01, converts Z1 2024-06-10     (old history)
 *   A  a1 02-01, b1 02-10, converts K1 02-20 (100)
 *   E  a2 02-05, never converts
 *   B  b2 03-05, converts K2 03-15
 * night 1, as of 2026-03-31: C's touches a3 03-02, b3 03-08 and its conversion K3 03-20 arrive
 *   → keys: March (the run date, K3, and the touches' months), and the later months the touches' lookback and
 *     fits reach (none has a conversion yet); rebuilt: March's conversions K2, K3
 *   → touches read: all but z (2024-06: the months it feeds end in 2025-11), as March's fit counts February's
 * night 2, as of 2026-03-31: K1 restated 100 → 150
 *   → keys February and March (it is in March's fit, and closes A's journey for every later month)
 * after each night the table = a whole rebuild
 * </pre>
 */
class AttributionScopeTest {
    private static final String ORDERS = "gold.fct_orders";
    private static final String TOUCHES = "gold.fct_touches";
    private static final String ATTRIBUTION = "gold.fct_attribution";
    private static final String OLD_TOUCHES = "('z', 'Z', '2024-06-01'), ('a1', 'A', '2026-02-01'), "
            + "('b1', 'A', '2026-02-10'), ('a2', 'E', '2026-02-05'), ('b2', 'B', '2026-03-05')";
    private static final String OLD_ORDERS = "('Z1', 'Z', '2024-06-10', 100), ('K2', 'B', '2026-03-15', 100)";

    private final FctAttribution job = new FctAttribution();

    @Test
    void aNightRefitsTheMonthsItsJourneysReachOnly() {
        SparkSession spark = SparkTestSession.get();
        DeltaTables tables = new DeltaTables(spark,
                SparkTestSession.testConfig(SparkTestSession.scratch("attribution-scope").resolve("warehouse")));
        RunContext last = context("2026-03-30");
        RunContext ctx = context("2026-03-31");
        long orders0 = tables.overwrite(ORDERS, orders(OLD_ORDERS + ", ('K1', 'A', '2026-02-20', 100)"), List.of());
        long touches0 = tables.overwrite(TOUCHES, touches(OLD_TOUCHES), List.of());
        tables.overwrite(ATTRIBUTION, job.build(inputs(tables, orders0, touches0), last).rows(), job.partitionBy());

        long orders1 = tables.overwrite(ORDERS, orders(OLD_ORDERS + ", ('K1', 'A', '2026-02-20', 100), "
                + "('K3', 'C', '2026-03-20', 100)"), List.of());
        long touches1 = tables.overwrite(TOUCHES, touches(OLD_TOUCHES + ", ('a3', 'C', '2026-03-02'), "
                + "('b3', 'C', '2026-03-08')"), List.of());
        Scope night1 = plan(tables, ctx, new JobState(Map.of(ORDERS, orders0, TOUCHES, touches0),
                last.asOf()), orders1, touches1);
        assertTrue(night1.keys().contains("2026-03-01"));
        assertFalse(night1.keys().contains("2026-02-01"), night1.keys().toString());
        Map<String, Dataset<Row>> read = night1.restrict(inputs(tables, orders1, touches1));
        assertEquals(Set.of("a1", "b1", "a2", "b2", "a3", "b3"), ids(read.get(TOUCHES), "touch_id"));
        Dataset<Row> rebuilt = night1.keep(job.build(read, ctx).rows());
        assertEquals(Set.of("K2", "K3"), ids(rebuilt, "conversion_id"));
        tables.replaceKeys(ATTRIBUTION, rebuilt, night1.key(), night1.keys(), job.partitionBy());
        assertEquals(whole(tables, orders1, touches1, ctx), lines(tables.read(ATTRIBUTION)));

        long orders2 = tables.overwrite(ORDERS, orders(OLD_ORDERS + ", ('K1', 'A', '2026-02-20', 150), "
                + "('K3', 'C', '2026-03-20', 100)"), List.of());
        Scope night2 = plan(tables, ctx, new JobState(Map.of(ORDERS, orders1, TOUCHES, touches1), ctx.asOf()),
                orders2, touches1);
        assertEquals(Set.of("2026-02-01", "2026-03-01"), night2.keys());
        Dataset<Row> rebuilt2 = night2.keep(job.build(night2.restrict(inputs(tables, orders2, touches1)), ctx).rows());
        assertEquals(Set.of("K1", "K2", "K3"), ids(rebuilt2, "conversion_id"));
        tables.replaceKeys(ATTRIBUTION, rebuilt2, night2.key(), night2.keys(), job.partitionBy());
        assertEquals(whole(tables, orders2, touches1, ctx), lines(tables.read(ATTRIBUTION)));
    }

    private Scope plan(DeltaTables tables, RunContext ctx, JobState last, long orders, long touches) {
        return Scope.plan(job, ctx, tables, last, Map.of(ORDERS, orders, TOUCHES, touches),
                inputs(tables, orders, touches));
    }

    private Set<String> whole(DeltaTables tables, long orders, long touches, RunContext ctx) {
        return lines(job.build(inputs(tables, orders, touches), ctx).rows());
    }

    private static Map<String, Dataset<Row>> inputs(DeltaTables tables, long orders, long touches) {
        return Map.of(ORDERS, tables.readAt(ORDERS, orders), TOUCHES, tables.readAt(TOUCHES, touches));
    }

    private static RunContext context(String asOf) {
        return new RunContext("attribution-scope", LocalDate.parse(asOf), LocalDate.parse(asOf),
                SparkTestSession.testConfig(SparkTestSession.scratch("attribution-scope-cfg")));
    }

    /** Every row, its credit rounded, so a refit that changes nothing compares equal. */
    private static Set<String> lines(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(r -> r.getAs("conversion_id") + " " + r.getAs("model") + " "
                + r.getAs("touch_id") + " " + r.getAs("conversion_value_rc") + " "
                + String.format("%.9f", r.<Double>getAs("credit"))).collect(Collectors.toSet());
    }

    private static Set<String> ids(Dataset<Row> rows, String column) {
        return rows.select(col(column)).distinct().collectAsList().stream().map(r -> r.getString(0))
                .collect(Collectors.toSet());
    }

    /** Paid new orders (order_id, account_id, order_date, amount). */
    private static Dataset<Row> orders(String values) {
        return SparkTestSession.get().sql("SELECT order_id, CAST(-1 AS BIGINT) AS account_key, account_id, "
                + "CAST(d AS DATE) AS order_date, 'new' AS order_type, 'paid' AS status, "
                + "CAST(amount AS DECIMAL(18,4)) AS amount_rc FROM VALUES " + values
                + " AS t(order_id, account_id, d, amount)");
    }

    /** Web touches (touch_id, account_id, day) at 10:00 +08:00; a… paid_search, b… email, z direct. */
    private static Dataset<Row> touches(String values) {
        return SparkTestSession.get().sql("SELECT *, xxhash64(channel) AS channel_key, "
                + "trunc(to_date(touch_time), 'MM') AS touch_month FROM (SELECT touch_id, "
                + "account_id, CAST(concat(d, 'T10:00:00+08:00') AS TIMESTAMP) AS touch_time, 'web' AS touch_type, "
                + "CASE substr(touch_id, 1, 1) WHEN 'a' THEN 'paid_search' WHEN 'b' THEN 'email' ELSE 'direct' END "
                + "AS channel, CAST(-1 AS BIGINT) AS campaign_key FROM VALUES " + values
                + " AS t(touch_id, account_id, d))");
    }
}
