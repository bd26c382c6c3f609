package com.tobwh.gold;

import com.tobwh.SparkTestSession;
import com.tobwh.bronze.BronzeValidation;
import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Gates;
import com.tobwh.pipeline.Pipeline;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paid orders spread over calendar months, every figure worked out by hand below (money to 4 decimals, half up).
 *
 * <pre>
 * o_annual   paid, growth, 12000, 2026-01-01..2026-12-31: 365 days, 12 rows, covers every month end
 *            service_months = months_between(2027-01-01, 2026-01-01) = 12.0 (same day of month) → mrr 1000.0000
 *            exact shares: 31-day month 12000·31/365 = 1019.178082, 30-day 986.301370, Feb 920.547945;
 *            rounded one by one they add up to 7·1019.1781 + 4·986.3014 + 920.5479 = 12000.0002 (not 12000).
 *            Rounding the cumulative share instead: Jan round(12000·31/365) = 1019.1781; through Feb
 *            round(12000·59/365) = 1939.7260 → Feb 920.5479; … through May (151 d) 4964.3836, through Jun (181 d)
 *            5950.6849 → Jun 986.3013; through Sep (273 d) 8975.3425, through Oct (304 d) 9994.5205
 *            → Oct 1019.1780; through Nov (334 d) 10980.8219 → Dec 12000 − 10980.8219 = 1019.1781.
 *            Sum exactly 12000.
 * o_spread   paid, growth, 1000, 2026-01-15..2026-04-14: days Jan 17 (15..31), Feb 28, Mar 31, Apr 14 (1..14) = 90
 *            service_months = months_between(2026-04-15, 2026-01-15) = 3.0 → mrr 333.3333
 *            cumulative 188.8889 | 500.0000 | 844.4444 | 1000 → 188.8889, 311.1111, 344.4444, 155.5556 (sum 1000)
 *            covers_month_end: Jan, Feb, Mar true; Apr false (ends on the 14th of 30)
 * o_thirds   paid, growth, 100, 2026-03-02..2026-05-30: Mar 30 (2..31), Apr 30, May 30 (1..30) = 90 days
 *            each third is 33.33333: one by one 3·33.3333 = 99.9999; cumulative 33.3333 | 66.6667 | 100
 *            → 33.3333, 33.3334, 33.3333 (sum 100)
 *            service_months = months_between(2026-05-31, 2026-03-02): 2 months + (31 − 2)/31 = 2.93548387
 *            → mrr 100 / 2.93548387 = 34.06593… = 34.0659; May ends on the 30th → covers_month_end false
 * o_no_plan  paid, plan null, unknown account (-1), 280, 2026-02-01..2026-02-28: one row, plan_key -1,
 *            28 of 28 days → 280; service_months 1.0, mrr 280; covers Feb's end
 * o_legacy   paid, plan 'legacy' (not in dim_plan), 110, 2026-06-10..2026-06-20: one row, plan_key -1, 11 days;
 *            service_months = months_between(2026-06-21, 2026-06-10) = 11/31 = 0.35483871
 *            → mrr 110 / 0.35483871 = 309.9999997 = 310.0000; June ends on the 30th → false
 * o_refunded, o_cancelled: no rows, no rejects.  o_refunded_inverted: refunded with a backwards period →
 *            nothing to recognise, so neither rows nor a reject.
 * o_inverted paid, 2026-02-01..2026-01-01 → rejected: service_end 2026-01-01 is before service_start 2026-02-01
 * o_no_end   paid, service_end null → rejected: service_end is null
 * Rows: 12 + 4 + 3 + 1 + 1 = 21; rejects: 2.
 * </pre>
 */
public class FctSubscriptionMonthsTest {
    private static Built built;
    private static List<Row> rows;

    /** Orders in the shape of gold.fct_orders; only the columns in the VALUES vary between orders. */
    public static Dataset<Row> fctOrders(SparkSession spark, String values) {
        return spark.sql("""
                SELECT order_id, CAST(account_key AS BIGINT) AS account_key, account_id,
                       CAST(date_format(CAST(order_date AS DATE), 'yyyyMMdd') AS INT) AS order_date_key,
                       CAST(order_date AS DATE) AS order_date, trunc(CAST(order_date AS DATE), 'MM') AS order_month,
                       CAST(NULL AS STRING) AS opportunity_id, order_type, plan, CAST(seats AS BIGINT) AS seats,
                       status, 'CNY' AS currency, CAST(amount AS DECIMAL(18,4)) AS amount,
                       CAST(1 AS DECIMAL(28,10)) AS fx_rate, CAST(amount AS DECIMAL(18,4)) AS amount_rc,
                       CAST(CASE WHEN status = 'paid' THEN amount ELSE 0 END AS DECIMAL(18,4)) AS net_revenue_rc,
                       CAST(service_start AS DATE) AS service_start, CAST(service_end AS DATE) AS service_end
                FROM VALUES
                """ + values + """
                  AS t(order_id, account_key, account_id, order_date, order_type, plan, seats, status, amount,
                       service_start, service_end)
                """);
    }

    @BeforeAll
    static void build() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> orders = fctOrders(spark, """
                  ('o_annual',   11, 'acc_a', '2025-12-28', 'new',       'growth', 12, 'paid',      12000,
                   '2026-01-01', '2026-12-31'),
                  ('o_spread',   12, 'acc_b', '2026-01-10', 'renewal',   'growth', 10, 'paid',      1000,
                   '2026-01-15', '2026-04-14'),
                  ('o_thirds',   13, 'acc_c', '2026-03-02', 'expansion', 'growth', 1,  'paid',      100,
                   '2026-03-02', '2026-05-30'),
                  ('o_no_plan',  -1, 'acc_x', '2026-02-01', 'new',       NULL,     2,  'paid',      280,
                   '2026-02-01', '2026-02-28'),
                  ('o_legacy',   12, 'acc_b', '2026-06-10', 'expansion', 'legacy', 1,  'paid',      110,
                   '2026-06-10', '2026-06-20'),
                  ('o_refunded', 11, 'acc_a', '2026-02-01', 'expansion', 'growth', 3,  'refunded',  500,
                   '2026-02-01', '2026-02-28'),
                  ('o_cancelled', 13, 'acc_c', '2026-03-01', 'renewal',  'growth', 1,  'cancelled', 700,
                   '2026-03-01', '2026-05-31'),
                  ('o_refunded_inverted', 13, 'acc_c', '2026-03-01', 'new', 'growth', 1, 'refunded', 50,
                   '2026-03-01', '2026-02-01'),
                  ('o_inverted', 14, 'acc_d', '2026-01-20', 'new',       'growth', 5,  'paid',      300,
                   '2026-02-01', '2026-01-01'),
                  ('o_no_end',   14, 'acc_d', '2026-01-21', 'new',       'growth', 5,  'paid',      300,
                   '2026-02-01', NULL)
                """);
        Dataset<Row> plans = spark.sql("""
                SELECT xxhash64('growth') AS plan_key, 'growth' AS plan
                UNION ALL SELECT CAST(-1 AS BIGINT), 'unknown'
                """);
        RunContext ctx = new RunContext("test", LocalDate.parse("2026-06-30"), LocalDate.parse("2026-06-30"),
                SparkTestSession.testConfig(Path.of("unused")));
        built = new FctSubscriptionMonths().build(Map.of("gold.fct_orders", orders, "gold.dim_plan", plans), ctx);
        rows = built.rows().orderBy(col("order_id"), col("month")).collectAsList();
    }

    private static List<Row> of(String orderId) {
        return rows.stream().filter(r -> r.getAs("order_id").equals(orderId)).toList();
    }

    private static Row row(String orderId, String month) {
        return of(orderId).stream().filter(r -> r.getAs("month").toString().equals(month)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + orderId + " " + month + " in " + rows));
    }

    private static void assertMoney(String expected, Object actual) {
        assertEquals(0, new BigDecimal(expected).compareTo((BigDecimal) actual),
                "expected " + expected + ", got " + actual);
    }

    private static BigDecimal sumRecognised(String orderId) {
        return of(orderId).stream().map(r -> r.<BigDecimal>getAs("recognised_revenue_rc"))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void passesItsOwnGatesAndMatchesItsDocumentedSchema() {
        Gates.check(new FctSubscriptionMonths(), built.rows());
        assertEquals(21, rows.size());
    }

    @Test
    void annualOrderStartingOnTheFirstIsTwelveWholeMonths() {
        List<Row> annual = of("o_annual");
        assertEquals(12, annual.size());
        for (int m = 0; m < 12; m++) {
            Row r = annual.get(m);
            LocalDate month = LocalDate.of(2026, 1, 1).plusMonths(m);
            assertEquals(month.toString(), r.getAs("month").toString());
            assertEquals(month.plusMonths(1).minusDays(1).toString(), r.getAs("month_end").toString());
            assertEquals(month.lengthOfMonth(), r.<Integer>getAs("days_in_month_covered"));
            assertEquals(365, r.<Integer>getAs("service_days"));
            assertEquals(12.0, r.<Double>getAs("service_months"));
            assertMoney("1000", r.getAs("mrr_rc"));
            assertTrue(r.<Boolean>getAs("covers_month_end"), month + " end is covered");
            assertEquals(11L, r.<Long>getAs("account_key"));
            assertEquals("new", r.getAs("order_type"));
        }
        List<String> expected = List.of("1019.1781", "920.5479", "1019.1781", "986.3014", "1019.1781", "986.3013",
                "1019.1781", "1019.1781", "986.3014", "1019.1780", "986.3014", "1019.1781");
        for (int m = 0; m < 12; m++) {
            assertMoney(expected.get(m), annual.get(m).getAs("recognised_revenue_rc"));
        }
    }

    @Test
    void partialFirstAndLastMonthsSplitByDay() {
        List<Row> spread = of("o_spread");
        assertEquals(4, spread.size());
        String[][] expected = {
                {"2026-01-01", "17", "188.8889", "true"},
                {"2026-02-01", "28", "311.1111", "true"},
                {"2026-03-01", "31", "344.4444", "true"},
                {"2026-04-01", "14", "155.5556", "false"}};
        for (int m = 0; m < 4; m++) {
            Row r = spread.get(m);
            assertEquals(expected[m][0], r.getAs("month").toString());
            assertEquals(Integer.parseInt(expected[m][1]), r.<Integer>getAs("days_in_month_covered"));
            assertMoney(expected[m][2], r.getAs("recognised_revenue_rc"));
            assertEquals(Boolean.parseBoolean(expected[m][3]), r.<Boolean>getAs("covers_month_end"), expected[m][0]);
            assertEquals(90, r.<Integer>getAs("service_days"));
            assertEquals(3.0, r.<Double>getAs("service_months"));
            assertMoney("333.3333", r.getAs("mrr_rc"));
            assertEquals("2026-01-15", r.getAs("service_start").toString());
            assertEquals("2026-04-14", r.getAs("service_end").toString());
        }
        assertEquals("2026-04-30", spread.get(3).getAs("month_end").toString());
    }

    @Test
    void roundingRemaindersNeverLeakOutOfAnOrder() {
        assertMoney("33.3333", row("o_thirds", "2026-03-01").getAs("recognised_revenue_rc"));
        assertMoney("33.3334", row("o_thirds", "2026-04-01").getAs("recognised_revenue_rc"));
        assertMoney("33.3333", row("o_thirds", "2026-05-01").getAs("recognised_revenue_rc"));
        assertEquals(2.93548387, row("o_thirds", "2026-03-01").<Double>getAs("service_months"));
        assertMoney("34.0659", row("o_thirds", "2026-05-01").getAs("mrr_rc"));
        assertEquals(false, row("o_thirds", "2026-05-01").getAs("covers_month_end"));

        Map<String, String> amounts = Map.of("o_annual", "12000", "o_spread", "1000", "o_thirds", "100",
                "o_no_plan", "280", "o_legacy", "110");
        amounts.forEach((order, amount) -> assertEquals(0, new BigDecimal(amount).compareTo(sumRecognised(order)),
                order + " recognises " + sumRecognised(order) + ", not its amount " + amount));
        // And no month strays from its exact pro-rata share by more than the last decimal.
        for (Row r : rows) {
            BigDecimal exact = new BigDecimal(amounts.get(r.<String>getAs("order_id")))
                    .multiply(BigDecimal.valueOf(r.<Integer>getAs("days_in_month_covered")))
                    .divide(BigDecimal.valueOf(r.<Integer>getAs("service_days")), 10, RoundingMode.HALF_UP);
            BigDecimal off = exact.subtract(r.getAs("recognised_revenue_rc")).abs();
            assertTrue(off.compareTo(new BigDecimal("0.0001")) < 0, r + " is " + off + " from " + exact);
        }
    }

    @Test
    void refundedAndCancelledOrdersRecogniseNothing() {
        assertEquals(List.of(), of("o_refunded"));
        assertEquals(List.of(), of("o_cancelled"));
        assertEquals(List.of(), of("o_refunded_inverted"));
    }

    @Test
    void missingOrUnknownPlansGetTheUnknownMember() {
        Row noPlan = row("o_no_plan", "2026-02-01");
        assertEquals(-1L, noPlan.<Long>getAs("plan_key"));
        assertEquals(-1L, noPlan.<Long>getAs("account_key"));
        assertEquals(28, noPlan.<Integer>getAs("days_in_month_covered"));
        assertMoney("280", noPlan.getAs("recognised_revenue_rc"));
        assertEquals(1.0, noPlan.<Double>getAs("service_months"));
        assertMoney("280", noPlan.getAs("mrr_rc"));
        assertEquals(true, noPlan.getAs("covers_month_end"));

        Row legacy = row("o_legacy", "2026-06-01");
        assertEquals(-1L, legacy.<Long>getAs("plan_key"));
        assertEquals(11, legacy.<Integer>getAs("days_in_month_covered"));
        assertEquals(0.35483871, legacy.<Double>getAs("service_months"));
        assertMoney("310", legacy.getAs("mrr_rc"));
        assertEquals(false, legacy.getAs("covers_month_end"));

        long growth = SparkTestSession.get().sql("SELECT xxhash64('growth')").first().getLong(0);
        assertEquals(growth, row("o_annual", "2026-01-01").<Long>getAs("plan_key"));
    }

    @Test
    void paidOrdersWithoutAUsablePeriodAreRefusedWithTheirReason() {
        List<Row> rejects = built.rejects().orderBy("reason").collectAsList();
        assertEquals(List.of(
                "paid order o_inverted: service_end 2026-01-01 is before service_start 2026-02-01; "
                        + "not spread over months in gold.fct_subscription_months",
                "paid order o_no_end: service_end is null; not spread over months in gold.fct_subscription_months"),
                rejects.stream().map(r -> r.<String>getAs("reason")).toList());
        Row inverted = rejects.get(0);
        assertEquals("test", inverted.getAs("run_id"));
        assertEquals("orders", inverted.getAs("source"));
        String raw = inverted.getAs("raw");
        assertTrue(raw.contains("\"order_id\":\"o_inverted\"") && raw.contains("\"service_start\":\"2026-02-01\"")
                && raw.contains("\"service_end\":\"2026-01-01\"") && raw.contains("\"amount_rc\":300"), raw);
        assertEquals(List.of(), of("o_inverted"));
        assertEquals(List.of(), of("o_no_end"));
        // Every other layer's reject columns, plus the order as the key they are replaced by (a rebuild by order).
        assertEquals("o_inverted", inverted.getAs(Pipeline.REJECT_KEY));
        assertEquals(names(BronzeValidation.REJECTS.add(Pipeline.REJECT_KEY, "string").fields()),
                names(built.rejects().schema().fields()));
    }

    private static List<String> names(StructField[] fields) {
        return Arrays.stream(fields).map(f -> f.name() + " " + f.dataType().simpleString()).toList();
    }
}
