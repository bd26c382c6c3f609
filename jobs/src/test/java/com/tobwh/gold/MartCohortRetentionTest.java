package com.tobwh.gold;

import com.tobwh.SparkTestSession;
import com.tobwh.pipeline.Gates;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cohort retention on hand-made orders run through the real gold.fct_subscription_months, every figure worked out by
 * hand below. Run date 2026-04-15: January..March are judged on their last day, April (in progress) on 04-15.
 * mrr = amount / months_between(service_end + 1, service_start); every period below is whole months.
 *
 * <pre>
 * order  acct status    order_date  service                  amount  months  mrr
 * o_a1   a    paid      2026-01-10  2026-01-10..2026-03-09     200     2     100   not renewed: churns in March
 * o_b1   b    paid      2026-01-01  2026-01-01..2026-12-31    2400    12     200
 * o_b2   b    paid      2026-02-15  2026-02-15..2026-12-14    1000    10     100   expansion; other account_key (SCD2)
 * o_c1   c    paid      2026-01-20  2026-01-20..2026-02-19     150     1     150   lapses in February …
 * o_c2   c    paid      2026-03-01  2026-03-01..2026-05-31     300     3     100   … re-activates in March, cheaper
 * o_c3   c    paid      2026-04-17  2026-04-01..2026-05-31     400     2     200   ordered after the run: not known
 * o_d0   d    refunded  2025-12-20  2025-12-20..2026-01-19     500                 not paid: no December cohort
 * o_d1   d    paid      2026-01-25  2026-02-01..2026-02-28     120     1     120   first paid → cohort January, but
 *                                                                                  not active at January's end
 * o_e1   e    paid      2026-01-21  2026-01-21..2026-04-20     300     3     100   covers the run date, not 04-30
 * o_k1   k    paid      2026-02-03  2026-02-03..2026-03-02      50     1      50
 * o_k2   k    refunded  2026-03-01  2026-03-01..2026-03-31      99                 refunded: no activity in March
 * o_g1   g    paid      2026-03-05  2026-02-20..2026-05-19     600     3     200   back-dated: its February is not
 *                                                                                  in any row (before its cohort)
 * o_h1   h    paid      2026-03-28  2026-04-20..2026-05-19      90     1      90   starts after the run date
 * o_i1   i    paid      2026-04-16  2026-04-01..2026-04-30     100     1     100   ordered after the run: no April
 *                                                                                  cohort
 * o_j1   j    refunded  2025-12-05  …                           80                 j never paid: in no cohort
 * o_j2   j    cancelled 2026-01-06  …                           80
 *
 * Cohort 2026-01: a, b, c, d, e (5 accounts). MRR at months_since 0 by account: a 100, b 200, c 150, d 0, e 100.
 * GRR sums min(account's mrr, its mrr at 0) over the active accounts.
 *  ms  judged      active with mrr                      active  mrr  logo  NRR               GRR
 *  0   2026-01-31  a 100, b 200, c 150, e 100 (d later)    4    550  0.8   550/550 = 1       550/550 = 1
 *  1   2026-02-28  a 100, b 200+100, d 120, e 100          4    620  0.8   620/550 = 1.1273  (100+200+0+100)/550=.7273
 *  2   2026-03-31  b 300, c 100 (o_c2), e 100              3    500  0.6   500/550 = 0.9091  (200+100+100)/550=.7273
 *  3   2026-04-15  b 300, c 100, e 100 (ends 04-20)        3    500  0.6   500/550 = 0.9091  400/550 = .7273
 *      Judged on 04-30 instead, e would be out; o_c3 would add 200 if orders after the run counted.
 * Cohort 2026-02: k (1 account)
 *  0   2026-02-28  k 50                                    1     50  1.0   1                 1
 *  1   2026-03-31  nobody (o_k1 ended 03-02; o_k2 refunded) 0    0  0.0   0/50 = 0          0/50 = 0
 *  2   2026-04-15  nobody                                  0      0  0.0   0                 0
 * Cohort 2026-03: g, h (2 accounts)
 *  0   2026-03-31  g 200 (h starts 04-20)                  1    200  0.5   1                 1
 *  1   2026-04-15  g 200 (h still not started)             1    200  0.5   1                 1
 * No 2025-12 cohort (only refunded or cancelled orders then), no 2026-04 cohort (o_i1 is after the run), nothing
 * after April: 4 + 3 + 2 = 9 rows.
 *
 * Separately, z alone: first paid 2026-03-30, service 2026-04-01..2026-04-30 (mrr 100) → cohort March, 2 rows:
 *  0   2026-03-31  nobody active: the cohort's mrr at 0 is 0, so NRR and GRR are null (nothing to retain)
 *  1   2026-04-15  z active, mrr 100; NRR and GRR still null (same base 0)
 * </pre>
 */
class MartCohortRetentionTest {
    private static final double EPS = 1e-9;
    private static final LocalDate RUN = LocalDate.parse("2026-04-15");
    private static Dataset<Row> built;
    private static List<Row> mart;

    @BeforeAll
    static void build() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> orders = FctSubscriptionMonthsTest.fctOrders(spark, """
                  ('o_a1', 11, 'a', '2026-01-10', 'new', 'growth', 1, 'paid', 200, '2026-01-10', '2026-03-09'),
                  ('o_b1', 21, 'b', '2026-01-01', 'new', 'growth', 2, 'paid', 2400, '2026-01-01', '2026-12-31'),
                  ('o_b2', 22, 'b', '2026-02-15', 'expansion', 'growth', 1, 'paid', 1000, '2026-02-15', '2026-12-14'),
                  ('o_c1', 31, 'c', '2026-01-20', 'new', 'growth', 1, 'paid', 150, '2026-01-20', '2026-02-19'),
                  ('o_c2', 31, 'c', '2026-03-01', 'renewal', 'growth', 1, 'paid', 300, '2026-03-01', '2026-05-31'),
                  ('o_c3', 31, 'c', '2026-04-17', 'expansion', 'growth', 1, 'paid', 400, '2026-04-01', '2026-05-31'),
                  ('o_d0', 41, 'd', '2025-12-20', 'new', 'growth', 1, 'refunded', 500, '2025-12-20', '2026-01-19'),
                  ('o_d1', 41, 'd', '2026-01-25', 'new', 'growth', 1, 'paid', 120, '2026-02-01', '2026-02-28'),
                  ('o_e1', 51, 'e', '2026-01-21', 'new', 'growth', 1, 'paid', 300, '2026-01-21', '2026-04-20'),
                  ('o_k1', 61, 'k', '2026-02-03', 'new', 'growth', 1, 'paid', 50, '2026-02-03', '2026-03-02'),
                  ('o_k2', 61, 'k', '2026-03-01', 'expansion', 'growth', 1, 'refunded', 99, '2026-03-01', '2026-03-31'),
                  ('o_g1', 71, 'g', '2026-03-05', 'new', 'growth', 1, 'paid', 600, '2026-02-20', '2026-05-19'),
                  ('o_h1', 81, 'h', '2026-03-28', 'new', 'growth', 1, 'paid', 90, '2026-04-20', '2026-05-19'),
                  ('o_i1', 91, 'i', '2026-04-16', 'new', 'growth', 1, 'paid', 100, '2026-04-01', '2026-04-30'),
                  ('o_j1', 99, 'j', '2025-12-05', 'new', 'growth', 1, 'refunded', 80, '2025-12-05', '2026-01-04'),
                  ('o_j2', 99, 'j', '2026-01-06', 'new', 'growth', 1, 'cancelled', 80, '2026-01-06', '2026-02-05')
                """);
        Dataset<Row> plans = spark.sql("SELECT xxhash64('growth') AS plan_key, 'growth' AS plan");
        RunContext ctx = new RunContext("test", RUN, RUN, SparkTestSession.testConfig(Path.of("unused")));
        Dataset<Row> months = new FctSubscriptionMonths()
                .build(Map.of("gold.fct_orders", orders, "gold.dim_plan", plans), ctx).rows();
        built = new MartCohortRetention()
                .build(Map.of("gold.fct_orders", orders, "gold.fct_subscription_months", months), ctx).rows();
        mart = built.orderBy(col("cohort_month"), col("months_since")).collectAsList();
    }

    private static Row row(String cohort, int monthsSince) {
        return mart.stream().filter(r -> r.getAs("cohort_month").toString().equals(cohort)
                        && r.<Integer>getAs("months_since") == monthsSince)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + cohort + " +" + monthsSince + " in " + mart));
    }

    /** Asserts one row: counts, MRR and the three ratios (null ratio expected as null). */
    private static void assertRow(String cohort, int monthsSince, long cohortAccounts, long active, String mrr,
                                  double logo, Double nrr, Double grr) {
        Row r = row(cohort, monthsSince);
        String at = cohort + " +" + monthsSince;
        assertEquals(cohortAccounts, r.<Long>getAs("cohort_accounts"), at + " cohort_accounts");
        assertEquals(active, r.<Long>getAs("active_accounts"), at + " active_accounts");
        assertEquals(0, new BigDecimal(mrr).compareTo(r.getAs("mrr")), at + " mrr " + r.getAs("mrr"));
        assertEquals(logo, r.<Double>getAs("logo_retention"), EPS, at + " logo_retention");
        assertRatio(nrr, r.getAs("net_revenue_retention"), at + " net_revenue_retention");
        assertRatio(grr, r.getAs("gross_revenue_retention"), at + " gross_revenue_retention");
    }

    private static void assertRatio(Double expected, Double actual, String what) {
        if (expected == null) {
            assertNull(actual, what);
        } else {
            assertEquals(expected, actual, EPS, what);
        }
    }

    @Test
    void passesItsOwnGatesAndMatchesItsDocumentedSchema() {
        Gates.check(new MartCohortRetention(), built);
        assertEquals(List.of("cohort_month", "months_since", "cohort_accounts", "active_accounts", "logo_retention",
                "mrr", "net_revenue_retention", "gross_revenue_retention"), List.of(built.columns()));
    }

    @Test
    void everyMonthReachedIsPresentAndNothingAfterTheRunMonth() {
        assertEquals(9, mart.size());
        assertEquals(List.of("2026-01-01 0", "2026-01-01 1", "2026-01-01 2", "2026-01-01 3",
                        "2026-02-01 0", "2026-02-01 1", "2026-02-01 2",
                        "2026-03-01 0", "2026-03-01 1"),
                mart.stream().map(r -> r.getAs("cohort_month") + " " + r.getAs("months_since")).toList());
    }

    @Test
    void churnReactivationAndExpansion() {
        assertRow("2026-01-01", 0, 5, 4, "550", 0.8, 1.0, 1.0);
        // b's expansion lifts NRR above 1; GRR caps b at its starting 200 and gives d (0 at the start) nothing.
        assertRow("2026-01-01", 1, 5, 4, "620", 0.8, 620.0 / 550, 400.0 / 550);
        // a churned; c is back at 100, which GRR counts in full (below its starting 150).
        assertRow("2026-01-01", 2, 5, 3, "500", 0.6, 500.0 / 550, 400.0 / 550);
        Row expanded = row("2026-01-01", 1);
        assertTrue(expanded.<Double>getAs("net_revenue_retention") > 1.0);
        assertTrue(expanded.<Double>getAs("gross_revenue_retention") <= 1.0);
    }

    @Test
    void monthInProgressIsJudgedAtTheRunDate() {
        // e (ends 04-20) still counts; h (starts 04-20) does not yet; o_c3, ordered on 04-17, is not known.
        assertRow("2026-01-01", 3, 5, 3, "500", 0.6, 500.0 / 550, 400.0 / 550);
        assertRow("2026-03-01", 1, 2, 1, "200", 0.5, 1.0, 1.0);
    }

    @Test
    void firstMonthFollowsTheActivityRuleLiterally() {
        // Cohort March: h's service starts after March's end, so only g of 2 is active at months_since 0.
        assertRow("2026-03-01", 0, 2, 1, "200", 0.5, 1.0, 1.0);
    }

    @Test
    void refundedOrdersNeitherFoundACohortNorMakeAnAccountActive() {
        assertTrue(mart.stream().noneMatch(r -> r.getAs("cohort_month").toString().equals("2025-12-01")), "d and j");
        assertTrue(mart.stream().noneMatch(r -> r.getAs("cohort_month").toString().equals("2026-04-01")), "i");
        assertRow("2026-02-01", 0, 1, 1, "50", 1.0, 1.0, 1.0);
        // A reached month with nobody active is a row of zeros, not a missing row.
        assertRow("2026-02-01", 1, 1, 0, "0", 0.0, 0.0, 0.0);
        assertRow("2026-02-01", 2, 1, 0, "0", 0.0, 0.0, 0.0);
    }

    @Test
    void cohortWithoutMrrAtTheStartHasNoRevenueRetention() {
        // One account whose first paid order only starts serving after its cohort month: mrr at 0 is 0.
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> orders = FctSubscriptionMonthsTest.fctOrders(spark, """
                  ('o_z1', 1, 'z', '2026-03-30', 'new', 'growth', 1, 'paid', 100, '2026-04-01', '2026-04-30')
                """);
        Dataset<Row> plans = spark.sql("SELECT xxhash64('growth') AS plan_key, 'growth' AS plan");
        RunContext ctx = new RunContext("test", RUN, RUN, SparkTestSession.testConfig(Path.of("unused")));
        Dataset<Row> months = new FctSubscriptionMonths()
                .build(Map.of("gold.fct_orders", orders, "gold.dim_plan", plans), ctx).rows();
        List<Row> rows = new MartCohortRetention()
                .build(Map.of("gold.fct_orders", orders, "gold.fct_subscription_months", months), ctx).rows()
                .orderBy("months_since").collectAsList();
        assertEquals(2, rows.size());
        assertEquals(0L, rows.get(0).<Long>getAs("active_accounts"));
        assertNull(rows.get(0).getAs("net_revenue_retention"));
        assertEquals(1L, rows.get(1).<Long>getAs("active_accounts"));
        assertEquals(0, new BigDecimal("100").compareTo(rows.get(1).getAs("mrr")));
        assertNull(rows.get(1).getAs("net_revenue_retention"));
        assertNull(rows.get(1).getAs("gross_revenue_retention"));
    }

    @Test
    void noOrdersGiveAnEmptyMart() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> orders = FctSubscriptionMonthsTest.fctOrders(spark, """
                  ('o', 1, 'a', '2026-01-01', 'new', 'growth', 1, 'paid', 1, '2026-01-01', '2026-01-31')
                """).limit(0);
        Dataset<Row> plans = spark.sql("SELECT xxhash64('growth') AS plan_key, 'growth' AS plan");
        RunContext ctx = new RunContext("test", RUN, RUN, SparkTestSession.testConfig(Path.of("unused")));
        Dataset<Row> months = new FctSubscriptionMonths()
                .build(Map.of("gold.fct_orders", orders, "gold.dim_plan", plans), ctx).rows();
        assertEquals(0L, new MartCohortRetention()
                .build(Map.of("gold.fct_orders", orders, "gold.fct_subscription_months", months), ctx).rows().count());
    }
}
