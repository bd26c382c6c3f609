package com.tobwh.gold;

import com.tobwh.SparkTestSession;
import com.tobwh.gold.attribution.Journeys;
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

/**
 * The monthly funnel per channel, default model position_based (run date 2026-04-30).
 *
 * <pre>
 * leads   March c1, c2 first touch paid_search; c3 no touch → unattributed; April c4 email
 * opps    o1 account A opened 03-10: A's touches before it t1 paid_search (03-01), t2 email (03-05)
 *           → position_based two touches ½ / ½;  o2 account Z opened 03-12, no touch → unattributed 1
 * credits (position_based) March K1 1000: paid_search ½ (500), email ½ (500); K2 200 touchless → unattributed
 *         (first_touch rows of the same conversions are ignored: not the default model)
 * spend   March paid_search 400; April email 50
 * March   paid_search  leads 2, opps ½, customers ½, revenue 500, spend 400, share 500/1200
 *         email        leads 0, opps ½, customers ½, revenue 500, share 500/1200
 *         unattributed leads 1, opps 1, customers 1, revenue 200, share 200/1200  → shares add up to 1
 * April   email        leads 1, spend 50, revenue 0, share null
 * </pre>
 */
class MartChannelContributionTest {
    private static List<Row> mart;

    @BeforeAll
    static void build() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> contacts = spark.sql("""
                SELECT contact_id, CAST(d AS DATE) AS created_date, ch AS first_touch_channel
                FROM VALUES ('c1', '2026-03-02', 'paid_search'), ('c2', '2026-03-09', 'paid_search'),
                            ('c3', '2026-03-10', NULL), ('c4', '2026-04-03', 'email'), (NULL, NULL, 'unknown')
                  AS t(contact_id, d, ch)
                """);
        Dataset<Row> opps = spark.sql("""
                SELECT opportunity_id, account_id, CAST(t AS TIMESTAMP) AS created_at,
                       CAST(trunc(CAST(t AS TIMESTAMP), 'MM') AS DATE) AS created_month
                FROM VALUES ('o1', 'A', '2026-03-10T10:00:00+08:00'), ('o2', 'Z', '2026-03-12T10:00:00+08:00')
                  AS t(opportunity_id, account_id, t)
                """);
        Dataset<Row> touches = spark.sql("""
                SELECT touch_id, account_id, CAST(t AS TIMESTAMP) AS touch_time, channel
                FROM VALUES ('t1', 'A', '2026-03-01T09:00:00+08:00', 'paid_search'),
                            ('t2', 'A', '2026-03-05T09:00:00+08:00', 'email') AS t(touch_id, account_id, t, channel)
                """);
        Dataset<Row> credits = spark.sql("""
                SELECT CAST('2026-03-01' AS DATE) AS conversion_month, model, channel, CAST(c AS DOUBLE) AS credit,
                       CAST(rev AS DOUBLE) AS attributed_revenue_rc
                FROM VALUES ('position_based', 'paid_search', 0.5, 500), ('position_based', 'email', 0.5, 500),
                            ('position_based', 'unattributed', 1.0, 200), ('first_touch', 'paid_search', 1.0, 1000),
                            ('first_touch', 'unattributed', 1.0, 200)
                  AS t(model, channel, c, rev)
                """);
        Dataset<Row> spend = spark.sql("""
                SELECT CAST(d AS DATE) AS date, channel, CAST(cost AS DECIMAL(18,4)) AS cost_rc
                FROM VALUES ('2026-03-05', 'paid_search', 400), ('2026-04-05', 'email', 50) AS t(d, channel, cost)
                """);
        RunContext ctx = new RunContext("r", LocalDate.parse("2026-04-30"), LocalDate.parse("2026-04-30"),
                SparkTestSession.testConfig(Path.of("unused")));
        Dataset<Row> rows = new MartChannelContribution().build(Map.of("gold.fct_attribution", credits,
                "gold.fct_opportunities", opps, "gold.fct_touches", touches, "gold.dim_contact", contacts,
                "gold.fct_spend", spend), ctx).rows().cache();
        Gates.check(new MartChannelContribution(), rows);
        mart = rows.collectAsList();
    }

    private static Row row(String month, String channel) {
        return mart.stream().filter(r -> r.getAs("month").toString().equals(month) && r.getAs("channel").equals(channel))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + month + " " + channel + " in " + mart));
    }

    @Test
    void theMonthlyFunnelPerChannel() {
        assertEquals(4, mart.size());
        Row ps = row("2026-03-01", "paid_search");
        assertEquals(2L, ps.<Long>getAs("leads"));
        assertEquals(0.5, ps.<Double>getAs("opportunities"), 1e-12);
        assertEquals(0.5, ps.<Double>getAs("customers"), 1e-12);
        assertEquals(new BigDecimal("500.0000"), ps.getAs("revenue"));
        assertEquals(new BigDecimal("400.0000"), ps.getAs("spend"));
        Row email = row("2026-03-01", "email");
        assertEquals(0L, email.<Long>getAs("leads"));
        assertEquals(0.5, email.<Double>getAs("opportunities"), 1e-12);
        Row none = row("2026-03-01", "unattributed");
        assertEquals(1L, none.<Long>getAs("leads"));
        assertEquals(1.0, none.<Double>getAs("opportunities"), 1e-12);
        assertEquals(1.0, none.<Double>getAs("customers"), 1e-12);
    }

    @Test
    void contributionSharesAddUpToOnePerMonth() {
        assertEquals(500.0 / 1200, row("2026-03-01", "paid_search").<Double>getAs("contribution_share"), 1e-12);
        assertEquals(200.0 / 1200, row("2026-03-01", "unattributed").<Double>getAs("contribution_share"), 1e-12);
        double march = mart.stream().filter(r -> r.getAs("month").toString().equals("2026-03-01"))
                .mapToDouble(r -> r.<Double>getAs("contribution_share")).sum();
        assertEquals(1.0, march, 1e-12);
    }

    @Test
    void aMonthWithLeadsAndSpendButNoRevenueHasNoShare() {
        Row april = row("2026-04-01", "email");
        assertEquals(1L, april.<Long>getAs("leads"));
        assertEquals(new BigDecimal("50.0000"), april.getAs("spend"));
        assertNull(april.getAs("contribution_share"));
    }

    /**
     * A touch is credited to opportunities opened within the lookback after it: with 30 days, a touch on 2026-01-31
     * can feed opportunities of January to March (a day of margin each side: 2026-01-30 .. 2026-03-02). Under a
     * data-driven model fitted on 3 months, the fits of April and May count March's journeys too.
     */
    @Test
    void aChangedTouchReachesTheMonthsOfTheOpportunitiesItCanBeCreditedFor() {
        Row months = SparkTestSession.get().sql("SELECT TIMESTAMP'2026-01-31 10:00:00' AS t")
                .select(Journeys.monthsFed(col("t"), 30, 1).cast("array<string>"),
                        Journeys.monthsFed(col("t"), 30, 3).cast("array<string>")).first();
        assertEquals(List.of("2026-01-01", "2026-02-01", "2026-03-01"), months.getList(0));
        assertEquals(List.of("2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"),
                months.getList(1));
    }
}
