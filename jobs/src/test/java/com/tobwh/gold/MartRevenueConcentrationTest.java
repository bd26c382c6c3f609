package com.tobwh.gold;

import com.tobwh.SparkTestSession;
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
 * Revenue concentration on hand-made orders, every figure worked out by hand below.
 *
 * <pre>
 * Jan 2026  a 500, b 300, c 100 (+ a refunded 1000 order = 0), d 100, e only refunded, f only cancelled
 *           customers 4, revenue 1000, top-20% = ceil(0.8) = 1 → 500/1000 = 0.5, top-10 = 1.0
 *           Gini: ascending 100,100,300,500 → Σi·x = 100+200+900+2000 = 3200; 2·3200/(4·1000) − 5/4 = 0.35
 *           HHI: .5² + .3² + .1² + .1² = 0.36
 * Feb 2026  p 500, q1 200, q2 200, r 50, s 30, t 20 (tie q1/q2 at the cut)
 *           customers 6, top-20% = ceil(1.2) = 2 → p + q1 = 700/1000 = 0.7 (not 0.9: ties do not widen the cut)
 *           Gini: 20,30,50,200,200,500 → Σi·x = 20+60+150+800+1000+3000 = 5030; 2·5030/6000 − 7/6 = 0.51
 *           HHI: .25 + .04 + .04 + .0025 + .0009 + .0004 = 0.3338
 * Mar 2026  z 250 alone: one customer → shares 1, Gini 0, HHI 1
 * Apr 2026  only a refunded order: a period with no customer → 0 customers, shares null
 * May 2026  after the as-of date (2026-04-30): ignored
 * </pre>
 */
class MartRevenueConcentrationTest {
    private static final double EPS = 1e-9;
    private static List<Row> mart;

    @BeforeAll
    static void build() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> fct = spark.sql("""
                SELECT account_id, CAST(order_date AS DATE) AS order_date,
                       CAST(net AS DECIMAL(18,4)) AS net_revenue_rc
                FROM VALUES
                  ('a', '2026-01-03', 500), ('b', '2026-01-10', 300), ('c', '2026-01-11', 100),
                  ('c', '2026-01-12', 0), ('d', '2026-01-31', 100), ('e', '2026-01-15', 0), ('f', '2026-01-16', 0),
                  ('p', '2026-02-01', 500), ('q2', '2026-02-02', 200), ('q1', '2026-02-03', 200),
                  ('r', '2026-02-04', 50), ('s', '2026-02-05', 30), ('t', '2026-02-28', 20),
                  ('z', '2026-03-09', 250),
                  ('y', '2026-04-02', 0),
                  ('a', '2026-05-01', 9999)
                  AS t(account_id, order_date, net)
                """);
        RunContext ctx = new RunContext("test", LocalDate.parse("2026-04-30"), LocalDate.parse("2026-04-30"),
                SparkTestSession.testConfig(Path.of("unused")));
        mart = new MartRevenueConcentration().build(Map.of("gold.fct_orders", fct), ctx).rows()
                .orderBy(col("period_type"), col("period")).collectAsList();
    }

    private static Row row(String type, String period) {
        return mart.stream().filter(r -> r.getAs("period_type").equals(type)
                        && r.getAs("period").toString().equals(period))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + type + " " + period + " in " + mart));
    }

    @Test
    void oneRowPerPeriodUpToTheAsOfMonth() {
        // year 2026; Q1, Q2; Jan..Apr; trailing windows ending Jan..Apr. Nothing for May (after as-of).
        assertEquals(1 + 2 + 4 + 4, mart.size());
        assertTrue(mart.stream().noneMatch(r -> r.getAs("period").toString().equals("2026-05-01")));
    }

    @Test
    void monthWithRefundsAndCancellations() {
        Row jan = row("month", "2026-01-01");
        assertEquals(4L, jan.<Long>getAs("customers"));
        assertEquals(0, new BigDecimal("1000").compareTo(jan.getAs("revenue")));
        assertEquals(1L, jan.<Long>getAs("top_20pct_customers"));
        assertEquals(0.5, jan.<Double>getAs("top_20pct_revenue_share"), EPS);
        assertEquals(1.0, jan.<Double>getAs("top_10_revenue_share"), EPS);
        assertEquals(0.35, jan.<Double>getAs("gini"), EPS);
        assertEquals(0.36, jan.<Double>getAs("hhi"), EPS);
    }

    @Test
    void tieAtTheCutTakesExactlyCeilTwentyPercent() {
        Row feb = row("month", "2026-02-01");
        assertEquals(6L, feb.<Long>getAs("customers"));
        assertEquals(2L, feb.<Long>getAs("top_20pct_customers"));
        assertEquals(0.7, feb.<Double>getAs("top_20pct_revenue_share"), EPS);
        assertEquals(0.51, feb.<Double>getAs("gini"), EPS);
        assertEquals(0.3338, feb.<Double>getAs("hhi"), EPS);
    }

    @Test
    void oneCustomer() {
        Row mar = row("month", "2026-03-01");
        assertEquals(1L, mar.<Long>getAs("customers"));
        assertEquals(1L, mar.<Long>getAs("top_20pct_customers"));
        assertEquals(1.0, mar.<Double>getAs("top_20pct_revenue_share"), EPS);
        assertEquals(1.0, mar.<Double>getAs("top_10_revenue_share"), EPS);
        assertEquals(0.0, mar.<Double>getAs("gini"), EPS);
        assertEquals(1.0, mar.<Double>getAs("hhi"), EPS);
    }

    @Test
    void periodWithoutCustomersHasZeroCountsAndNoShares() {
        Row apr = row("month", "2026-04-01");
        assertEquals(0L, apr.<Long>getAs("customers"));
        assertEquals(0, BigDecimal.ZERO.compareTo(apr.getAs("revenue")));
        assertEquals(0L, apr.<Long>getAs("top_20pct_customers"));
        assertNull(apr.getAs("top_20pct_revenue_share"));
        assertNull(apr.getAs("top_10_revenue_share"));
        assertNull(apr.getAs("gini"));
        assertNull(apr.getAs("hhi"));
    }

    @Test
    void quarterYearAndTrailingWindowsAddUpTheMonths() {
        // Q1 = Jan + Feb + Mar: 11 customers, 2250; top ceil(2.2) = 3: a 500, p 500, b 300 → 1300/2250.
        Row q1 = row("quarter", "2026-01-01");
        assertEquals(11L, q1.<Long>getAs("customers"));
        assertEquals(0, new BigDecimal("2250").compareTo(q1.getAs("revenue")));
        assertEquals(3L, q1.<Long>getAs("top_20pct_customers"));
        assertEquals(1300.0 / 2250, q1.<Double>getAs("top_20pct_revenue_share"), EPS);
        // Top 10 of 11 leaves out the smallest (t, 20): 2230/2250.
        assertEquals(2230.0 / 2250, q1.<Double>getAs("top_10_revenue_share"), EPS);
        Row year = row("year", "2026-01-01");
        Row trailingApr = row("trailing_12m", "2026-04-01");
        for (Row r : List.of(year, trailingApr)) {
            assertEquals(11L, r.<Long>getAs("customers"));
            assertEquals(q1.<Double>getAs("gini"), r.<Double>getAs("gini"), EPS);
        }
        // The window ending in January holds January only.
        assertEquals(0.35, row("trailing_12m", "2026-01-01").<Double>getAs("gini"), EPS);
        Row q2 = row("quarter", "2026-04-01");
        assertEquals(0L, q2.<Long>getAs("customers"));
    }

    @Test
    void noOrdersGiveAnEmptyMart() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> none = spark.sql("SELECT 'a' AS account_id, DATE'2026-01-01' AS order_date, "
                + "CAST(1 AS DECIMAL(18,4)) AS net_revenue_rc").limit(0);
        RunContext ctx = new RunContext("test", LocalDate.parse("2026-04-30"), LocalDate.parse("2026-04-30"),
                SparkTestSession.testConfig(Path.of("unused")));
        assertEquals(0L, new MartRevenueConcentration().build(Map.of("gold.fct_orders", none), ctx).rows().count());
    }

    /**
     * A day's revenue counts in its year, quarter and month and in the trailing 12 months ending in its month and
     * the 11 after it, up to the run's month: 2026-03-15 as of 2026-05-20 feeds 6 periods; a day after the run
     * date feeds none.
     */
    @Test
    void aNightRebuildsThePeriodsHoldingTheChangedDaysOnly() {
        LocalDate asOf = LocalDate.parse("2026-05-20");
        Row keys = SparkTestSession.get().sql("SELECT DATE'2026-03-15' AS d, DATE'2026-05-21' AS later")
                .select(MartRevenueConcentration.periodsOf(col("d"), asOf),
                        MartRevenueConcentration.periodsOf(col("later"), asOf)).first();
        assertEquals(List.of("year|2026-01-01", "quarter|2026-01-01", "month|2026-03-01", "trailing_12m|2026-03-01",
                "trailing_12m|2026-04-01", "trailing_12m|2026-05-01"), keys.getList(0));
        assertTrue(keys.isNullAt(1));
    }
}
