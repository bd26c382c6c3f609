package com.tobwh.silver;

import com.tobwh.SparkTestSession;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.gold.DimCampaign;
import com.tobwh.gold.FctSpend;
import com.tobwh.pipeline.Built;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spend: restatements, FX and channels.
 *
 * <pre>
 * 03-01 baidu_sem  bdsem_1002  100.00 CNY  delivered 03-02
 * 03-01 baidu_sem  bdsem_1002  120.00 CNY  delivered 03-04 (the platform restated the day) → 120.0000 wins
 * 03-01 google_ads gads_2002    10.00 USD  USD rate 7.1 on 02-27, none since → 71.0000
 * 03-02 zbj        zbj_7001     50.00 CNY  → third_party_platform, 50.0000
 * 03-02 trade_show ts_9001   30000.00 CNY  → events
 * 03-02 wechat_ads wx_4001      20.00 EUR  no EUR rate at all → refused with its reason, not converted at zero
 * total cost_rc = 120 + 71 + 50 + 30000 = 30241.0000
 * </pre>
 */
class StgChannelSpendTest {
    private static Built staged;
    private static Map<String, Row> spend;
    private static Map<String, Row> fact;

    @BeforeAll
    static void build() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> bronze = spark.sql("""
                SELECT CAST(d AS DATE) AS date, platform, campaign_id, name AS campaign_name,
                       CAST(100 AS BIGINT) AS impressions, CAST(5 AS BIGINT) AS clicks,
                       CAST(cost AS DECIMAL(18,4)) AS cost, currency, 'r1' AS _run_id, _file,
                       CAST(1 AS BIGINT) AS _line, CAST(_dt AS DATE) AS _dt
                FROM VALUES
                  ('2026-03-01', 'baidu_sem', 'bdsem_1002', 'generic', '100.00', 'CNY', 's/dt=2026-03-02/baidu.csv',
                   '2026-03-02'),
                  ('2026-03-01', 'baidu_sem', 'bdsem_1002', 'generic', '120.00', 'CNY', 's/dt=2026-03-04/baidu.csv',
                   '2026-03-04'),
                  ('2026-03-01', 'google_ads', 'gads_2002', 'apac', '10.00', 'USD', 's/dt=2026-03-02/google.csv',
                   '2026-03-02'),
                  ('2026-03-02', 'zbj', 'zbj_7001', 'shop', '50.00', 'CNY', 's/dt=2026-03-03/zbj.csv', '2026-03-03'),
                  ('2026-03-02', 'trade_show', 'ts_9001', 'expo', '30000.00', 'CNY', 's/dt=2026-03-03/shows.csv',
                   '2026-03-03'),
                  ('2026-03-02', 'wechat_ads', 'wx_4001', 'moments', '20.00', 'EUR', 's/dt=2026-03-03/wechat.csv',
                   '2026-03-03')
                  AS t(d, platform, campaign_id, name, cost, currency, _file, _dt)
                """);
        Dataset<Row> fx = spark.sql("""
                SELECT 'USD' AS currency, CAST(d AS DATE) AS rate_date, CAST(7.1 AS DECIMAL(28,10)) AS rate
                FROM VALUES ('2026-02-27'), ('2026-02-28'), ('2026-03-01'), ('2026-03-02') AS t(d)
                """);
        WarehouseConfig cfg = SparkTestSession.testConfig(Path.of("unused"));
        RunContext ctx = new RunContext("r1", LocalDate.parse("2026-03-04"), LocalDate.parse("2026-03-04"), cfg);
        staged = new StgChannelSpend().build(Map.of("bronze.channel_spend", bronze, "silver.int_fx_rates__daily", fx),
                ctx);
        Dataset<Row> stg = staged.rows().cache();
        spend = stg.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("campaign_id"), r -> r));
        Dataset<Row> tags = spark.sql("""
                SELECT DATE'2026-03-01' AS session_month, CAST('nurture_welcome' AS STRING) AS campaign_id,
                       'newsletter' AS utm_source, 'email' AS channel, 1L AS sessions
                """);
        Dataset<Row> campaigns = new DimCampaign().build(Map.of("silver.stg_channel_spend", stg,
                "silver.int_campaign_tags__monthly", tags), ctx).rows();
        Gates.check(new DimCampaign(), campaigns);
        fact = new FctSpend().build(Map.of("silver.stg_channel_spend", stg, "gold.dim_campaign", campaigns), ctx)
                .rows().collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("campaign_id"), r -> r));
    }

    @Test
    void aRestatedDayReplacesTheEarlierDelivery() {
        Row baidu = spend.get("bdsem_1002");
        assertEquals(new BigDecimal("120.0000"), baidu.getAs("cost_rc"));
        assertEquals(LocalDate.parse("2026-03-04"), baidu.<java.sql.Date>getAs("delivered_dt").toLocalDate());
        assertEquals(4, spend.size());
    }

    @Test
    void foreignCostUsesTheLatestEarlierRate() {
        assertEquals(new BigDecimal("71.0000"), spend.get("gads_2002").getAs("cost_rc"));
    }

    @Test
    void costWithoutAnyRateIsRefusedWithItsReason() {
        List<Row> refused = staged.rejects().collectAsList();
        assertEquals(1, refused.size());
        assertEquals("no CNY rate for EUR on or before 2026-03-02 in fx_rates", refused.get(0).getAs("reason"));
        assertTrue(refused.get(0).<String>getAs("raw").contains("wx_4001"));
    }

    @Test
    void spendRowsGetTheirChannelFromThePlatform() {
        assertEquals("paid_search", fact.get("bdsem_1002").getAs("channel"));
        assertEquals("paid_search", fact.get("gads_2002").getAs("channel"));
        assertEquals("third_party_platform", fact.get("zbj_7001").getAs("channel"));
        assertEquals("events", fact.get("ts_9001").getAs("channel"));
        BigDecimal total = fact.values().stream().map(r -> r.<BigDecimal>getAs("cost_rc"))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(new BigDecimal("30241.0000"), total);
        assertEquals(20260301, fact.get("gads_2002").<Integer>getAs("date_key"));
    }
}
