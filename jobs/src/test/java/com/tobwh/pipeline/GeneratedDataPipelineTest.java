package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.generate.GeneratorManifest;
import com.tobwh.generate.GeneratorOptions;
import com.tobwh.generate.SampleDataGenerator;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline on generated data agrees with what the generator planted: every bad row, and the revenue truth. */
class GeneratedDataPipelineTest {
    private static final LocalDate START = LocalDate.parse("2026-01-01");
    private static final int DAYS = 120;
    private static GeneratorManifest manifest;
    private static RunReport report;
    private static DeltaTables tables;
    private static WarehouseConfig cfg;

    @BeforeAll
    static void generateAndRun() {
        SparkSession spark = SparkTestSession.get();
        Path root = SparkTestSession.scratch("generated");
        manifest = SampleDataGenerator.generate(new GeneratorOptions(root.resolve("landing"), 7L, 0.1, DAYS, START, 0.01));
        cfg = SparkTestSession.testConfig(root.resolve("warehouse"));
        cfg.landingRoot = root.resolve("landing").toString();
        tables = new DeltaTables(spark, cfg);
        report = new Pipeline(spark, tables, Warehouse.graph())
                .run(new RunContext("generated", START, START.plusDays(DAYS - 1), cfg));
    }

    @Test
    void everyPlantedBadRowIsRejectedAndEveryOtherRowLoaded() {
        assertTrue(manifest.badRowTotal() > 20, "the sample plants bad rows of every kind");
        assertEquals(manifest.badRowTotal(), report.rowsRejected());
        long rowsWritten = GeneratorManifest.SOURCES.stream().mapToLong(manifest::rows).sum();
        assertEquals(rowsWritten, report.rowsIn());
        assertEquals(report.rowsIn(), report.rowsLoaded() + report.rowsRejected());
    }

    @Test
    void thePlantedTruncatedGzipIsRejectedAsAFile() {
        assertEquals(1, manifest.badFiles().size());
        assertEquals(1, report.rejectedFiles().size());
        Row file = report.rejectedFiles().get(0);
        assertTrue(file.<String>getAs("file").endsWith(manifest.badFiles().get(0).path()));
        assertTrue(file.<String>getAs("file_status").startsWith("rejected: truncated gzip"));
    }

    @Test
    void martRevenueEqualsThePlantedCustomersRevenue() {
        Row year = tables.read("gold.mart_revenue_concentration")
                .filter(col("period_type").equalTo("year")).first();
        assertEquals(manifest.customers().size(), year.<Long>getAs("customers"));
        BigDecimal planted = manifest.totalNetRevenueCny().setScale(2, RoundingMode.HALF_UP);
        BigDecimal mart = year.<BigDecimal>getAs("revenue").setScale(2, RoundingMode.HALF_UP);
        // FX conversion rounds each order to 4 decimals; the truth sums unrounded: allow a cent per order.
        assertTrue(planted.subtract(mart).abs().compareTo(new BigDecimal("0.01").multiply(
                BigDecimal.valueOf(tables.read("gold.fct_orders").count()))) <= 0, planted + " vs " + mart);
        assertEquals(manifest.top20Share(), year.<Double>getAs("top_20pct_revenue_share"), 1e-3);
    }

    @Test
    void firstTouchAttributionFindsThePlantedOriginOfEveryCustomer() {
        Map<String, String> group = Map.of("paid_search", "search", "organic_search", "search",
                "third_party_platform", "third_party_platform", "social_media", "social_media",
                "events", "offline", "tender", "offline", "partner", "offline", "offline_sales", "offline",
                "referral", "offline");
        Map<String, String> attributed = new HashMap<>();
        tables.read("gold.fct_attribution").filter(col("model").equalTo("first_touch").and(col("credit").equalTo(1.0)))
                .collectAsList().forEach(r -> attributed.put(r.getAs("account_id"),
                        group.getOrDefault(r.<String>getAs("channel"), r.getAs("channel"))));
        assertEquals(manifest.customers().size(), attributed.size(), "one conversion per customer");
        manifest.customers().forEach(c -> assertEquals(c.firstTouch().code(), attributed.get(c.accountId()),
                c.accountId()));
    }

    @Test
    void everyCustomerIsInExactlyOneCohort() {
        long cohortAccounts = tables.read("gold.mart_cohort_retention").filter(col("months_since").equalTo(0))
                .agg(org.apache.spark.sql.functions.sum("cohort_accounts")).first().getLong(0);
        assertEquals(manifest.customers().size(), cohortAccounts);
    }

    /**
     * A job that declares the columns it reads of an input (so changes of others reach none of its rows) builds
     * from those columns alone: given nothing else, its plan still resolves.
     */
    @Test
    void everyJobBuildsFromTheColumnsItDeclaresItReads() {
        RunContext ctx = new RunContext("reads", START, START.plusDays(DAYS - 1), cfg);
        int declared = 0;
        for (Job job : Warehouse.graph().ordered()) {
            Map<String, List<String>> reads = job.incremental().reads();
            if (reads.isEmpty()) {
                continue;
            }
            Map<String, Dataset<Row>> in = new HashMap<>();
            for (String input : job.inputs()) {
                Dataset<Row> rows = tables.read(input);
                List<String> columns = reads.get(input);
                in.put(input, columns == null ? rows : rows.select(columns.stream().map(c -> col(c))
                        .toArray(Column[]::new)));
            }
            assertTrue(job.build(in, ctx).rows().schema().size() > 0, job.output());
            declared += reads.size();
        }
        assertTrue(declared >= 8, "the facts' dimension lookups and the touches declare what they read");
    }
}
