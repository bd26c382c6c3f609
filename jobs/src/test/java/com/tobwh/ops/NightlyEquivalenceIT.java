package com.tobwh.ops;

import com.tobwh.SparkTestSession;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.generate.GeneratorOptions;
import com.tobwh.generate.SampleDataGenerator;
import com.tobwh.io.DeltaTables;
import com.tobwh.pipeline.Pipeline;
import com.tobwh.pipeline.RunContext;
import com.tobwh.pipeline.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two months of landing data loaded as a backfill followed by nightly incremental runs give exactly the tables of one
 * full rebuild, late events and restatements included; the nights really are incremental (by key or skipped).
 * 60 days from 1 January at seed 22 and scale 0.2 has paying customers in several cohorts (sales cycles run 30 to
 * 180 days; 45 days is the shortest history with one), without which the revenue marts would be empty and prove
 * nothing, and its last night is 1 March, so the nights cross into a new month: the marts gain that month's rows
 * and the cohort mart rebuilds whole, as on any first of the month. The nights are the last
 * {@code nightly.nights} days (3 by default: events arrive up to 3 days late, so the last night's late events
 * belong to dates the earlier nights already built); each night costs a whole pipeline pass on 2 cores (2–3
 * minutes), which is what bounds their number in CI. {@code -Dnightly.nights=30} runs a month of nights.
 */
class NightlyEquivalenceIT {
    private static final LocalDate START = LocalDate.parse("2026-01-01");
    private static final int DAYS = Integer.getInteger("nightly.days", 60);
    private static final LocalDate END = START.plusDays(DAYS - 1);
    private static final int NIGHTS = Integer.getInteger("nightly.nights", 3);
    private static SparkSession spark;
    private static DeltaTables nightly;
    private static DeltaTables full;
    private static Path root;

    @BeforeAll
    static void runBothWays() {
        spark = SparkTestSession.get();
        root = SparkTestSession.scratch("nightly");
        SampleDataGenerator.generate(new GeneratorOptions(root.resolve("landing"), 22L, 0.2, DAYS, START, 0.01));
        nightly = new DeltaTables(spark, config(root, "nightly"));
        full = new DeltaTables(spark, config(root, "full"));
        LocalDate firstNight = END.minusDays(NIGHTS - 1);
        new Pipeline(spark, nightly, Warehouse.graph()).run(new RunContext("backfill", START, firstNight.minusDays(1),
                config(root, "nightly")));
        int night = 0;
        for (LocalDate d = firstNight; !d.isAfter(END); d = d.plusDays(1)) {
            WarehouseConfig cfg = config(root, "nightly");
            // The nights take turns between the two ways a rebuild by key writes: the rewrite of the partitions
            // whose rows changed, which tables below the size threshold take (all of the sample's), and the
            // merge of the changed rows, which larger tables take. The first and the last night rewrite.
            if (night++ % 2 == 1) {
                cfg.keyedMergeMinTableMb = 0;
            }
            // The tables' writer takes the threshold from its own configuration.
            new Pipeline(spark, new DeltaTables(spark, cfg), Warehouse.graph()).run(new RunContext("night-" + d, d, d,
                    cfg));
        }
        new Pipeline(spark, full, Warehouse.graph()).run(new RunContext("full", START, END, config(root, "full"),
                true));
    }

    private static WarehouseConfig config(Path root, String name) {
        WarehouseConfig cfg = SparkTestSession.testConfig(root.resolve(name));
        cfg.landingRoot = root.resolve("landing").toString();
        cfg.jobParallelism = 2;
        return cfg;
    }

    @Test
    void theNightsHaveLateEventsAndRestatementsToGetRight() {
        LocalDate firstNight = END.minusDays(NIGHTS - 1);
        assertTrue(full.read("silver.stg_web_traffic__events").filter(col("landing_delay_days").gt(0)
                        .and(col("delivered_dt").geq(java.sql.Date.valueOf(firstNight)))).count() > 0,
                "some events landing during the nights happened on earlier days");
        long crm = restatedDuringTheNights("bronze.crm__accounts", firstNight, "account_id")
                + restatedDuringTheNights("bronze.crm__contacts", firstNight, "contact_id")
                + restatedDuringTheNights("bronze.crm__opportunities", firstNight, "opportunity_id");
        assertTrue(crm > 0, "CRM records delivered before are delivered again during the nights");
        assertTrue(restatedDuringTheNights("bronze.channel_spend", firstNight, "date", "platform", "campaign_id") > 0,
                "spend of earlier days is restated during the nights");
    }

    @Test
    void everyTableOfNightlyRunsEqualsTheFullRebuild() {
        TableComparison.assertAllTablesEqual(spark, config(root, "nightly").warehouseRoot,
                config(root, "full").warehouseRoot);
        for (String mart : Warehouse.marts()) {
            assertTrue(full.read(mart).count() > 0, mart + " is empty: its equality would prove nothing");
        }
    }

    @Test
    void nightsRebuildByKeyOrSkipInsteadOfRebuildingEverything() {
        Dataset<Row> lastNight = nightly.read(Pipeline.RUN_LOG).filter(col("run_id").equalTo("night-" + END));
        assertEquals(0, lastNight.filter("status = 'failed'").count());
        assertEquals("by_key", lastNight.filter("job = 'gold.fct_sessions'").first().getAs("mode"));
        assertEquals("by_key", lastNight.filter("job = 'silver.int_touches__combined'").first().getAs("mode"));
        // Orders and spend are staged and their facts rewritten for the orders and days that changed only (or
        // skipped, on a night without orders whose rates changed): never whole.
        Dataset<Row> nights = nightly.read(Pipeline.RUN_LOG).filter(col("run_id").startsWith("night-"));
        for (String table : List.of("silver.stg_orders", "silver.stg_channel_spend", "gold.fct_orders",
                "gold.fct_spend")) {
            List<String> modes = nights.filter(col("job").equalTo(table)).select("mode").distinct()
                    .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
            assertTrue(modes.contains("by_key") && !modes.contains("full"), table + " ran " + modes);
        }
        // CRM, help-desk and rate records arrive a few a day: restaged by key on the nights they arrive, and so
        // are the account history and dimension, and the months of the orders. The tickets fact also rebuilds, by
        // key, the tickets whose SLA clocks the run date moved.
        for (String table : List.of("silver.stg_crm__accounts", "silver.stg_crm__contacts",
                "silver.stg_crm__opportunities", "silver.stg_support_tickets", "silver.stg_fx_rates",
                "silver.int_accounts__versioned", "gold.dim_account", "gold.fct_opportunities", "gold.fct_tickets",
                "gold.fct_subscription_months")) {
            assertEquals(0, nights.filter(col("job").equalTo(table).and(col("mode").equalTo("full"))).count(),
                    table + " is never rebuilt whole on a night");
        }
        for (String mart : List.of("gold.mart_attribution_channel", "gold.mart_channel_contribution",
                "gold.mart_revenue_concentration")) {
            assertEquals("by_key", lastNight.filter(col("job").equalTo(mart)).first().getAs("mode"), mart);
        }
        String cohortMode = lastNight.filter("job = 'gold.mart_cohort_retention'").first().getAs("mode");
        if (END.getDayOfMonth() == 1) {
            assertEquals("full", cohortMode, "the first night of a month adds a row to every cohort");
        } else {
            // Within a month, the cohorts reached depend on the day's orders and services: some, or none.
            assertTrue(List.of("by_key", "skipped").contains(cohortMode),
                    "gold.mart_cohort_retention is not rebuilt whole within a month");
        }
        for (String dim : List.of("gold.dim_date", "gold.dim_channel")) {
            assertEquals("skipped", lastNight.filter(col("job").equalTo(dim)).first().getAs("mode"),
                    dim + ": same configuration, same rows, nothing written");
        }
        if (NIGHTS > 1) {
            // Its commits of the nights, and the property the first merge switches on (deletion vectors).
            List<String> writes = io.delta.tables.DeltaTable.forPath(spark, nightly.path("gold.fct_sessions"))
                    .history(2 * NIGHTS).select("operation").as(org.apache.spark.sql.Encoders.STRING())
                    .collectAsList();
            assertTrue(writes.contains("MERGE") && writes.contains("WRITE"),
                    "the nights' changes by key were merged in on some nights and rewritten on others: " + writes);
        }
        assertTrue(nightly.read(Pipeline.RUN_LOG).filter("mode = 'skipped'").count() > 0,
                "jobs whose inputs did not change are skipped on some night");
    }

    /**
     * Keys delivered during the nights that had been delivered on an earlier date, before the nights or during them
     * (over a month of nights, most restatements are of days first delivered during the nights).
     */
    private static long restatedDuringTheNights(String table, LocalDate firstNight, String... key) {
        Dataset<Row> rows = full.read(table);
        Column[] keys = java.util.Arrays.stream(key).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        Dataset<Row> during = rows.filter(col("_dt").geq(java.sql.Date.valueOf(firstNight)))
                .withColumnRenamed("_dt", "_later").select(withColumn(keys, "_later"));
        Dataset<Row> earlier = rows.withColumnRenamed("_dt", "_earlier").select(withColumn(keys, "_earlier"));
        return during.join(earlier, com.tobwh.pipeline.Using.columns(key))
                .filter(col("_earlier").lt(col("_later"))).select(keys).distinct().count();
    }

    private static Column[] withColumn(Column[] columns, String name) {
        Column[] out = java.util.Arrays.copyOf(columns, columns.length + 1);
        out[columns.length] = col(name);
        return out;
    }
}
