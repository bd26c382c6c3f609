package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.bronze.BronzeJob;
import com.tobwh.bronze.LandingSchemas;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.io.DeltaTables;
import com.tobwh.silver.IntFxRatesDaily;
import com.tobwh.silver.StgChannelSpend;
import com.tobwh.silver.StgFxRates;
import com.tobwh.silver.StgOrders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Orders and spend are staged by key on a night, and a refusal is replaced with its key: a rate arriving late loads
 * the order it was missing for, and refusals of keys not rebuilt stay.
 * <pre>
 * night 1 (03-01..03-02): fx USD 7.0 from 03-01
 *   orders  o1 1000 CNY 03-01 · o7 5 JPY 03-01 (no JPY rate: refused) · o2 100 USD 03-02 → 700 · o3 50 EUR 03-02
 *           (no EUR rate: refused)
 *   spend   03-01 c1 50 USD → 350 · 03-02 c1 20 EUR (refused)
 * night 2 (03-03): fx EUR 7.8 for 03-02, delivered late; order o5 200 CNY 03-03, o6 10 GBP 03-03 (refused);
 *   spend of 03-01 restated to 60 USD
 *   daily rates changed: EUR 03-02, EUR 03-03, USD 03-03 (the day carried forward)
 *   stg_orders keys: o5, o6 (delivered) + orders dated 03-02 or 03-03 (the changed rates): o2, o3 → {o2, o3, o5, o6};
 *     o3 → 50 × 7.8 = 390, its refusal gone; o6 refused; o7's refusal (03-01, not rebuilt) stays
 *   stg_channel_spend keys: 03-01 (restated) + 03-02, 03-03 (changed rates) → 03-01 = 420, 03-02 = 20 × 7.8 = 156
 * </pre>
 */
class StagingByKeyTest {
    private static final LocalDate D1 = LocalDate.parse("2026-03-01");
    private static final LocalDate D2 = LocalDate.parse("2026-03-02");
    private static final LocalDate D3 = LocalDate.parse("2026-03-03");
    private static final String ORDERS = "order_id,account_id,opportunity_id,order_date,order_type,plan,seats,amount,"
            + "currency,status,service_start,service_end\n";
    private static final String SPEND = "date,platform,campaign_id,campaign_name,impressions,clicks,cost,currency\n";
    private static DeltaTables tables;

    @BeforeAll
    static void twoNights() throws IOException {
        SparkSession spark = SparkTestSession.get();
        Path root = SparkTestSession.scratch("staging-by-key");
        Path landing = root.resolve("landing");
        PipelineRunTest.write(landing, "fx_rates", "2026-03-01", "fx_rates.csv", "date,currency,rate\n"
                + "2026-03-01,USD,7.0\n");
        PipelineRunTest.write(landing, "orders", "2026-03-01", "orders.csv", ORDERS
                + "o1,a1,,2026-03-01,new,growth,10,1000,CNY,paid,2026-03-01,2027-02-28\n"
                + "o7,a7,,2026-03-01,new,starter,1,5,JPY,paid,2026-03-01,2026-03-31\n");
        PipelineRunTest.write(landing, "orders", "2026-03-02", "orders.csv", ORDERS
                + "o2,a2,,2026-03-02,new,starter,2,100,USD,paid,2026-03-02,2026-04-01\n"
                + "o3,a3,,2026-03-02,new,starter,2,50,EUR,paid,2026-03-02,2026-04-01\n");
        PipelineRunTest.write(landing, "channel_spend", "2026-03-01", "google_ads.csv", SPEND
                + "2026-03-01,google_ads,c1,Brand,100,10,50,USD\n");
        PipelineRunTest.write(landing, "channel_spend", "2026-03-02", "google_ads.csv", SPEND
                + "2026-03-02,google_ads,c1,Brand,100,10,20,EUR\n");
        PipelineRunTest.write(landing, "fx_rates", "2026-03-03", "fx_rates.csv", "date,currency,rate\n"
                + "2026-03-02,EUR,7.8\n");
        PipelineRunTest.write(landing, "orders", "2026-03-03", "orders.csv", ORDERS
                + "o5,a1,,2026-03-03,expansion,growth,2,200,CNY,paid,2026-03-03,2027-02-28\n"
                + "o6,a6,,2026-03-03,new,starter,1,10,GBP,paid,2026-03-03,2026-04-02\n");
        PipelineRunTest.write(landing, "channel_spend", "2026-03-03", "google_ads.csv", SPEND
                + "2026-03-01,google_ads,c1,Brand,100,10,60,USD\n");
        WarehouseConfig cfg = SparkTestSession.testConfig(root.resolve("warehouse"));
        cfg.landingRoot = landing.toString();
        tables = new DeltaTables(spark, cfg);
        JobGraph graph = new JobGraph(List.of(new BronzeJob(LandingSchemas.byName("fx_rates")),
                new BronzeJob(LandingSchemas.byName("orders")), new BronzeJob(LandingSchemas.byName("channel_spend")),
                new StgFxRates(), new IntFxRatesDaily(), new StgOrders(), new StgChannelSpend()));
        new Pipeline(spark, tables, graph).run(new RunContext("night-1", D1, D2, cfg));
        new Pipeline(spark, tables, graph).run(new RunContext("night-2", D3, D3, cfg));
    }

    @Test
    void aLateRateReachesTheOrdersOfItsDateAndOnlyThoseAreRestaged() {
        Row log = tables.read(Pipeline.RUN_LOG).filter("run_id = 'night-2' AND job = 'silver.stg_orders'").first();
        assertEquals("by_key", log.getAs("mode"));
        assertEquals("rebuilt 4 order_id values changed in bronze.orders, silver.int_fx_rates__daily",
                log.getAs("message").toString().split("; ")[0]);
        assertEquals(Map.of("o1", "1000.0000", "o2", "700.0000", "o3", "390.0000", "o5", "200.0000"),
                amounts("silver.stg_orders", "order_id", "amount_rc"));
    }

    @Test
    void aRefusalIsReplacedWithItsKeyAndRefusalsOfOtherKeysStay() {
        List<Row> refused = tables.read(Pipeline.SILVER_REJECTS).orderBy("job", "key").collectAsList();
        assertEquals(List.of("silver.stg_orders o6 night-2", "silver.stg_orders o7 night-1"),
                refused.stream().map(r -> r.getAs("job") + " " + r.getAs("key") + " " + r.getAs("run_id")).toList());
    }

    @Test
    void spendIsRestagedForTheRestatedDayAndTheDaysWhoseRateChanged() {
        Row log = tables.read(Pipeline.RUN_LOG).filter("run_id = 'night-2' AND job = 'silver.stg_channel_spend'")
                .first();
        assertEquals("by_key", log.getAs("mode"));
        assertEquals("rebuilt 3 date values changed in bronze.channel_spend, silver.int_fx_rates__daily",
                log.getAs("message").toString().split("; ")[0]);
        assertEquals(Map.of("2026-03-01", "420.0000", "2026-03-02", "156.0000"),
                amounts("silver.stg_channel_spend", "date", "cost_rc"));
    }

    /** {@code key} → {@code amount} of the table's rows, as text. */
    private static Map<String, String> amounts(String table, String key, String amount) {
        Map<String, String> out = new TreeMap<>();
        tables.read(table).select(col(key).cast("string"), col(amount)).collectAsList()
                .forEach(r -> out.put(r.getString(0), r.<BigDecimal>getAs(1).toPlainString()));
        return out;
    }
}
