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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attribution mart from hand-made credits and spend (run date 2026-04-30).
 *
 * <pre>
 * credits  March  K1 (1000): first_touch paid_search 1;  linear paid_search ½, social_media ½
 *                 K2 (200):  first_touch email 1;        linear email 1
 * spend    March paid_search 500, events 3000 (no credit at all); April paid_search 100; May (after the run) 7
 * first_touch March  paid_search 1 conv, 1000, spend 500 → ROAS 2.0, CAC 500, share 1000/1200
 *                    email 1 conv, 200, no spend → ROAS null, CAC 0, share 1/6
 *                    events 0 conv, spend 3000 → ROAS 0, CAC null, share 0
 * linear March       paid_search ½ → 500, ROAS 1.0, CAC 1000; social_media ½ → 500; email 1 → 200
 * every other model  March: paid_search and events rows with their spend and nothing credited (share null)
 * April              one paid_search row per model (spend 100), no conversions, share null
 * rows: March 3 + 4 + 6 × 2 = 19, April 8 → 27
 * </pre>
 */
class MartAttributionChannelTest {
    private static List<Row> mart;

    @BeforeAll
    static void build() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> credits = spark.sql("""
                SELECT conversion_id, CAST('2026-03-01' AS DATE) AS conversion_month, model, channel,
                       CAST(credit AS DOUBLE) AS credit, CAST(credit * value AS DOUBLE) AS attributed_revenue_rc
                FROM VALUES ('K1', 'first_touch', 'paid_search', 1.0, 1000), ('K1', 'linear', 'paid_search', 0.5, 1000),
                            ('K1', 'linear', 'social_media', 0.5, 1000), ('K2', 'first_touch', 'email', 1.0, 200),
                            ('K2', 'linear', 'email', 1.0, 200)
                  AS t(conversion_id, model, channel, credit, value)
                """);
        Dataset<Row> spend = spark.sql("""
                SELECT CAST(d AS DATE) AS date, channel, CAST(cost AS DECIMAL(18,4)) AS cost_rc
                FROM VALUES ('2026-03-02', 'paid_search', 300), ('2026-03-20', 'paid_search', 200),
                            ('2026-03-15', 'events', 3000), ('2026-04-01', 'paid_search', 100),
                            ('2026-05-01', 'paid_search', 7) AS t(d, channel, cost)
                """);
        RunContext ctx = new RunContext("r", LocalDate.parse("2026-04-30"), LocalDate.parse("2026-04-30"),
                SparkTestSession.testConfig(Path.of("unused")));
        Dataset<Row> rows = new MartAttributionChannel().build(Map.of("gold.fct_attribution", credits,
                "gold.fct_spend", spend), ctx).rows().cache();
        Gates.check(new MartAttributionChannel(), rows);
        mart = rows.collectAsList();
    }

    private static Row row(String month, String model, String channel) {
        return mart.stream().filter(r -> r.getAs("month").toString().equals(month) && r.getAs("model").equals(model)
                && r.getAs("channel").equals(channel)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + month + " " + model + " " + channel));
    }

    @Test
    void oneRowPerMonthModelAndChannelThatHasCreditOrSpend() {
        assertEquals(27, mart.size());
        assertTrue(mart.stream().noneMatch(r -> r.getAs("month").toString().equals("2026-05-01")));
    }

    @Test
    void firstTouchJoinsCreditsWithSpend() {
        Row ps = row("2026-03-01", "first_touch", "paid_search");
        assertEquals(1.0, ps.<Double>getAs("conversions"), 1e-12);
        assertEquals(new BigDecimal("1000.0000"), ps.getAs("attributed_revenue"));
        assertEquals(new BigDecimal("500.0000"), ps.getAs("spend"));
        assertEquals(2.0, ps.<Double>getAs("roas"), 1e-12);
        assertEquals(new BigDecimal("500.0000"), ps.getAs("cac"));
        assertEquals(1000.0 / 1200, ps.<Double>getAs("revenue_share"), 1e-12);
        Row email = row("2026-03-01", "first_touch", "email");
        assertNull(email.getAs("roas"), "no spend, no ROAS");
        assertEquals(new BigDecimal("0.0000"), email.getAs("cac"));
        assertEquals(1.0 / 6, email.<Double>getAs("revenue_share"), 1e-12);
    }

    @Test
    void aChannelWithSpendButNoCreditStillShowsItsSpend() {
        Row events = row("2026-03-01", "first_touch", "events");
        assertEquals(0.0, events.<Double>getAs("conversions"), 1e-12);
        assertEquals(new BigDecimal("3000.0000"), events.getAs("spend"));
        assertEquals(0.0, events.<Double>getAs("roas"), 1e-12);
        assertNull(events.getAs("cac"));
        assertEquals(new BigDecimal("3000.0000"), row("2026-03-01", "markov", "events").getAs("spend"));
        assertNull(row("2026-03-01", "markov", "paid_search").getAs("revenue_share"));
        assertNull(row("2026-04-01", "linear", "paid_search").getAs("revenue_share"));
    }

    @Test
    void fractionalCreditsKeepTheirShare() {
        Row ps = row("2026-03-01", "linear", "paid_search");
        assertEquals(0.5, ps.<Double>getAs("conversions"), 1e-12);
        assertEquals(1.0, ps.<Double>getAs("roas"), 1e-12);
        assertEquals(new BigDecimal("1000.0000"), ps.getAs("cac"));
        double shares = mart.stream().filter(r -> r.getAs("month").toString().equals("2026-03-01")
                && r.getAs("model").equals("linear")).mapToDouble(r -> r.<Double>getAs("revenue_share")).sum();
        assertEquals(1.0, shares, 1e-12);
    }
}
