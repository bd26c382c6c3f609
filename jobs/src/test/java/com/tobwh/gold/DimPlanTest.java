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
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The plan dimension on hand-made staged orders, every figure worked out by hand below.
 *
 * <pre>
 * growth     g1 2025-12-20 new paid 10 seats 12000, 2026-01-01..2026-12-31 (12.0 months) → 12000/10/12 = 100
 *            g2 2026-01-10 renewal paid 20 seats 7200, 2026-01-15..2026-04-14 (3.0)     → 7200/20/3  = 120
 *            g3 2026-02-27 contraction paid 5 seats 550, 2026-03-01..2026-03-31 (1.0)    → 550/5/1    = 110
 *            not priced: g4 expansion (added seats at a tier difference), g5 refunded (also the last seen,
 *            2026-06-30), g6 0 seats, g7 service_end before service_start
 *            → orders 7, priced 3, median seats (5, 10, 20) = 10, median seat-month price (100, 110, 120) = 110
 * starter    s1 new paid 3 seats 207, 2026-02-10..2026-03-09 (months_between(03-10, 02-10) = 1.0) → 69
 *            s2 renewal paid 4 seats 280, 2026-03-10..2026-04-09 (1.0)                        → 70
 *            → an even count: medians are the middle pair's mean, seats 3.5, price 69.5
 * enterprise one cancelled order → orders 1, priced 0, both medians null
 * (no plan)  n1 2026-01-05 paid, n2 2026-05-05 refunded → the unknown member -1: orders 2, first 2026-01-05,
 *            last 2026-05-05, priced 0, medians null (a median across unknown plans would mean nothing)
 * </pre>
 */
class DimPlanTest {
    /** xxhash64('growth') (Spark's seed 42), written out so that a change of key, which breaks every join, shows. */
    private static final long GROWTH_KEY = 2306277904015899309L;
    private static Map<String, Row> byPlan;

    static Dataset<Row> stgOrders(SparkSession spark, String values) {
        return spark.sql("""
                SELECT order_id, 'acc' AS account_id, CAST(NULL AS STRING) AS opportunity_id,
                       CAST(order_date AS DATE) AS order_date, order_type, plan, CAST(seats AS BIGINT) AS seats,
                       status, CAST(amount AS DECIMAL(18,4)) AS amount, 'CNY' AS currency,
                       CAST(1 AS DECIMAL(28,10)) AS fx_rate, CAST(amount AS DECIMAL(18,4)) AS amount_rc,
                       CAST(CASE WHEN status = 'paid' THEN amount ELSE 0 END AS DECIMAL(18,4)) AS net_revenue_rc,
                       CAST(service_start AS DATE) AS service_start, CAST(service_end AS DATE) AS service_end,
                       'orders.csv' AS _file, CAST(1 AS BIGINT) AS _line
                FROM VALUES
                """ + values + """
                  AS t(order_id, order_date, order_type, plan, seats, status, amount, service_start, service_end)
                """);
    }

    private static RunContext ctx() {
        return new RunContext("test", LocalDate.parse("2026-06-30"), LocalDate.parse("2026-06-30"),
                SparkTestSession.testConfig(Path.of("unused")));
    }

    @BeforeAll
    static void build() {
        Dataset<Row> orders = stgOrders(SparkTestSession.get(), """
                  ('g1', '2025-12-20', 'new',         'growth', 10, 'paid',      12000, '2026-01-01', '2026-12-31'),
                  ('g2', '2026-01-10', 'renewal',     'growth', 20, 'paid',      7200,  '2026-01-15', '2026-04-14'),
                  ('g3', '2026-02-27', 'contraction', 'growth', 5,  'paid',      550,   '2026-03-01', '2026-03-31'),
                  ('g4', '2026-02-01', 'expansion',   'growth', 2,  'paid',      5000,  '2026-02-01', '2026-12-31'),
                  ('g5', '2026-06-30', 'new',         'growth', 10, 'refunded',  3000,  '2026-07-01', '2026-09-30'),
                  ('g6', '2026-03-15', 'new',         'growth', 0,  'paid',      100,   '2026-04-01', '2026-04-30'),
                  ('g7', '2026-04-01', 'new',         'growth', 4,  'paid',      400,   '2026-05-01', '2026-04-01'),
                  ('s1', '2026-02-05', 'new',         'starter', 3, 'paid',      207,   '2026-02-10', '2026-03-09'),
                  ('s2', '2026-03-05', 'renewal',     'starter', 4, 'paid',      280,   '2026-03-10', '2026-04-09'),
                  ('e1', '2026-03-01', 'new',         'enterprise', 200, 'cancelled', 90000,
                   '2026-03-01', '2027-02-28'),
                  ('n1', '2026-01-05', 'new',         NULL,     2,  'paid',      100,   '2026-01-05', '2026-02-04'),
                  ('n2', '2026-05-05', 'renewal',     NULL,     2,  'refunded',  100,   '2026-05-05', '2026-06-04')
                """);
        Dataset<Row> dim = new DimPlan().build(Map.of("silver.stg_orders", orders), ctx()).rows();
        Gates.check(new DimPlan(), dim);
        byPlan = dim.collectAsList().stream().collect(Collectors.toMap(r -> r.<String>getAs("plan"), r -> r));
    }

    private static void assertMoney(String expected, Object actual) {
        assertEquals(0, new BigDecimal(expected).compareTo((BigDecimal) actual),
                "expected " + expected + ", got " + actual);
    }

    @Test
    void oneRowPerPlanPlusTheUnknownMember() {
        assertEquals(List.of("enterprise", "growth", "starter", "unknown"), byPlan.keySet().stream().sorted().toList());
        assertEquals(GROWTH_KEY, byPlan.get("growth").<Long>getAs("plan_key"));
        assertEquals(-1L, byPlan.get("unknown").<Long>getAs("plan_key"));
    }

    @Test
    void seenDatesAndCountsCoverEveryStatus() {
        Row growth = byPlan.get("growth");
        assertEquals("2025-12-20", growth.getAs("first_seen_date").toString());
        assertEquals("2026-06-30", growth.getAs("last_seen_date").toString());
        assertEquals(7L, growth.<Long>getAs("orders"));
        assertEquals(3L, growth.<Long>getAs("priced_orders"));
    }

    @Test
    void seatPriceIsTheMedianOverFullPricePaidOrders() {
        Row growth = byPlan.get("growth");
        assertEquals(10.0, growth.<Double>getAs("median_seats"));
        assertMoney("110", growth.getAs("median_seat_month_price_rc"));
        Row starter = byPlan.get("starter");
        assertEquals(2L, starter.<Long>getAs("priced_orders"));
        assertEquals(3.5, starter.<Double>getAs("median_seats"));
        assertMoney("69.5", starter.getAs("median_seat_month_price_rc"));
    }

    @Test
    void aPlanWithoutPaidOrdersHasNoPrice() {
        Row enterprise = byPlan.get("enterprise");
        assertEquals(1L, enterprise.<Long>getAs("orders"));
        assertEquals(0L, enterprise.<Long>getAs("priced_orders"));
        assertNull(enterprise.getAs("median_seats"));
        assertNull(enterprise.getAs("median_seat_month_price_rc"));
    }

    @Test
    void theUnknownMemberCountsOrdersWithoutAPlan() {
        Row unknown = byPlan.get("unknown");
        assertEquals(2L, unknown.<Long>getAs("orders"));
        assertEquals("2026-01-05", unknown.getAs("first_seen_date").toString());
        assertEquals("2026-05-05", unknown.getAs("last_seen_date").toString());
        assertEquals(0L, unknown.<Long>getAs("priced_orders"));
        assertNull(unknown.getAs("median_seats"));
        assertNull(unknown.getAs("median_seat_month_price_rc"));
    }

    @Test
    void theUnknownMemberExistsEvenWhenEveryOrderHasAPlan() {
        Dataset<Row> orders = stgOrders(SparkTestSession.get(), """
                  ('g1', '2026-01-01', 'new', 'growth', 1, 'paid', 10, '2026-01-01', '2026-01-31')
                """);
        List<Row> unknown = new DimPlan().build(Map.of("silver.stg_orders", orders), ctx()).rows()
                .filter("plan_key = -1").collectAsList();
        assertEquals(1, unknown.size());
        assertEquals("unknown", unknown.get(0).getAs("plan"));
        assertEquals(0L, unknown.get(0).<Long>getAs("orders"));
        assertNull(unknown.get(0).getAs("first_seen_date"));
    }
}
