package com.tobwh.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.tobwh.SparkTestSession;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tobwh maintain} on small orders tables.
 *
 * <pre>
 * maint.orders  order_id, account_id, order_date, order_month (partition: 2026-01, 2026-02), amount
 *               v0 overwrite (one file per month), v1 and v2 appends of 6 rows in 3 tasks → several files per month
 * OPTIMIZE      z-order (order_date, account_id) → one file per month, the same 18 rows, history says zOrderBy;
 *               a second pass with nothing written since leaves the table alone (Z-order rewrites every file)
 * VACUUM        retention 0 h (allowed in this test's config only) → every replaced small file is deleted:
 *               VERSION AS OF 2 fails, the current version reads the same rows
 * ops.run_log   one maintain:maint.orders row, which `status` lists as a (maintenance) run
 * maint.mart    v0 'before', v1 'after': VERSION AS OF 0 and TIMESTAMP AS OF v0's commit time say 'before', and
 *               VACUUM with the default 168 h keeps them readable
 * guards        a retention under Delta's 168 h without vacuumAllowShortRetention, a zorderBy on a partition column
 *               or on a missing column: refused before any table is touched
 * </pre>
 */
class MaintenanceTest {
    private static final List<String> ZORDER = List.of("order_date", "account_id");
    private static SparkSession spark;
    private static WarehouseConfig cfg;
    private static DeltaTables tables;

    @BeforeAll
    static void session() {
        spark = SparkTestSession.get();
        cfg = SparkTestSession.testConfig(SparkTestSession.scratch("maintenance").resolve("warehouse"));
        tables = new DeltaTables(spark, cfg);
        tables.overwrite("maint.guarded", orders(0), List.of("order_month"));
    }

    private static Dataset<Row> orders(int batch) {
        return spark.range(6).selectExpr(
                "concat('o', " + batch + ", '-', id) AS order_id",
                "concat('a', id % 4) AS account_id",
                "date_add(DATE'2026-01-20', CAST(id * 7 + " + batch + " AS INT)) AS order_date",
                "trunc(date_add(DATE'2026-01-20', CAST(id * 7 + " + batch + " AS INT)), 'MM') AS order_month",
                "CAST(100 * (id + 1) AS DECIMAL(18,4)) AS amount");
    }

    private static Maintenance.Result only(List<Maintenance.Result> results) {
        assertEquals(1, results.size());
        return results.get(0);
    }

    private static List<Row> rows(String query) {
        return spark.sql(query).orderBy("order_id").collectAsList();
    }

    @Test
    void optimizeClustersOneFilePerPartitionAndVacuumDeletesTheReplacedFilesForGood() {
        tables.overwrite("maint.orders", orders(0), List.of("order_month"));
        tables.append("maint.orders", orders(1).repartition(3));
        long lastAppend = tables.append("maint.orders", orders(2).repartition(3));
        List<Row> before = rows("SELECT * FROM maint.orders");
        long scattered = tables.detail("maint.orders").numFiles();
        assertTrue(scattered > 2, "the appends should leave several files per month, got " + scattered);
        WarehouseConfig shortRetention = SparkTestSession.testConfig(Path.of(cfg.warehouseRoot));
        shortRetention.vacuumRetentionHours = 0;
        shortRetention.vacuumAllowShortRetention = true;

        Maintenance.Result r = only(new Maintenance(spark, tables, shortRetention).run(
                List.of(new Maintenance.Target("maint.orders", ZORDER)), true, true, "m-orders"));

        assertEquals("succeeded", r.status(), r.summary());
        assertEquals(scattered, r.filesBefore());
        assertEquals(2L, r.filesAfter());
        assertEquals(2L, tables.detail("maint.orders").numFiles());
        assertEquals(18, before.size());
        assertEquals(before, rows("SELECT * FROM maint.orders"));
        Row optimize = spark.sql("DESCRIBE HISTORY maint.orders").filter(col("operation").equalTo("OPTIMIZE"))
                .first();
        assertEquals("[\"order_date\",\"account_id\"]",
                optimize.<String, String>getJavaMap(optimize.fieldIndex("operationParameters")).get("zOrderBy"));

        // Every file the appends wrote was replaced by OPTIMIZE; with no retention VACUUM deletes them all.
        assertEquals(scattered, r.vacuumedFiles());
        assertTrue(r.vacuumedBytes() > 0);
        Exception gone = assertThrows(Exception.class,
                () -> rows("SELECT * FROM maint.orders VERSION AS OF " + lastAppend));
        assertTrue(String.valueOf(gone.getMessage()).contains("does not exist")
                || String.valueOf(gone.getMessage()).contains("FILE_NOT_EXIST"), gone.getMessage());
        // Delta's own retention check is lifted for the batch only.
        assertEquals("true", spark.conf().get("spark.databricks.delta.retentionDurationCheck.enabled", "true"));

        // ops.run_log keeps the step, so `tobwh status` lists it as a maintenance run.
        Row logged = tables.read(Pipeline.RUN_LOG).filter(col("run_id").equalTo("m-orders")).first();
        assertEquals("maintain:maint.orders", logged.getAs("job"));
        assertEquals("succeeded", logged.getAs("status"));
        assertEquals(tables.currentVersion("maint.orders"), logged.<Long>getAs("delta_version"));
        assertTrue(logged.<String>getAs("message").contains(scattered + " -> 2 files"), logged.toString());
        String status = RunHistory.text(RunHistory.lastRuns(tables.read(Pipeline.RUN_LOG)
                .filter(col("run_id").equalTo("m-orders")), 1).collectAsList());
        assertTrue(status.contains("m-orders") && status.contains("(maintenance)"), status);

        // Z-ordering rewrites every file: a second pass with nothing written since leaves the table alone.
        long maintained = tables.currentVersion("maint.orders");
        Maintenance.Result again = only(new Maintenance(spark, tables, cfg).run(
                List.of(new Maintenance.Target("maint.orders", ZORDER)), true, false, "m-orders-again"));
        assertTrue(again.optimized().contains("skipped, unchanged since v"), again.summary());
        assertEquals(maintained, tables.currentVersion("maint.orders"));
    }

    @Test
    void timeTravelByCatalogNameReadsWhatTheTableSaidThenAndTheDefaultRetentionKeepsIt() {
        tables.overwrite("maint.mart", spark.sql("SELECT 'before' AS said"), List.of());
        tables.overwrite("maint.mart", spark.sql("SELECT 'after' AS said"), List.of());
        String v0At = spark.sql("DESCRIBE HISTORY maint.mart").filter(col("version").equalTo(0))
                .select(date_format(col("timestamp"), "yyyy-MM-dd HH:mm:ss.SSS")).first().getString(0);

        Maintenance.Result r = only(new Maintenance(spark, tables, cfg).run(
                List.of(new Maintenance.Target("maint.mart", List.of())), false, true, "m-default-retention"));

        assertEquals("succeeded", r.status(), r.summary());
        assertEquals(0L, r.vacuumedFiles(), "nothing left the table 168 hours ago");
        assertEquals("after", spark.sql("SELECT said FROM maint.mart").first().getString(0));
        assertEquals("before", spark.sql("SELECT said FROM maint.mart VERSION AS OF 0").first().getString(0));
        assertEquals("before", spark.sql("SELECT said FROM maint.mart TIMESTAMP AS OF '" + v0At + "'")
                .first().getString(0));
    }

    @Test
    void aRetentionBelowDeltasSafetyMinimumIsRefusedUnlessTheConfigAllowsIt() {
        long version = tables.currentVersion("maint.guarded");
        WarehouseConfig risky = SparkTestSession.testConfig(Path.of(cfg.warehouseRoot));
        risky.vacuumRetentionHours = 24;

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
                new Maintenance(spark, tables, risky).run(
                        List.of(new Maintenance.Target("maint.guarded", List.of())), true, true, "m-risky"));

        assertTrue(refused.getMessage().contains("below Delta's safety minimum of 168 hours"), refused.getMessage());
        assertTrue(refused.getMessage().contains("vacuumAllowShortRetention"), refused.getMessage());
        assertEquals(version, tables.currentVersion("maint.guarded"));
        assertThrows(IllegalArgumentException.class, risky::validated);
        risky.vacuumAllowShortRetention = true;
        risky.validated();
    }

    @Test
    void aZOrderOnAPartitionColumnOrAMissingColumnIsRefusedBeforeAnyTableIsTouched() {
        long version = tables.currentVersion("maint.guarded");
        Maintenance maintenance = new Maintenance(spark, tables, cfg);

        IllegalArgumentException partition = assertThrows(IllegalArgumentException.class, () -> maintenance.run(
                List.of(new Maintenance.Target("maint.guarded", List.of("order_month"))), true, true, "m-bad"));
        assertTrue(partition.getMessage().contains(
                "maint.guarded: zorderBy column 'order_month' is a partition column"), partition.getMessage());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> maintenance.run(
                List.of(new Maintenance.Target("maint.guarded", List.of("order_day"))), true, true, "m-bad"));
        assertTrue(missing.getMessage().contains(
                "maint.guarded: zorderBy column 'order_day' is not a column of the table"), missing.getMessage());

        assertEquals(version, tables.currentVersion("maint.guarded"));
    }

    @Test
    void everyMartAndFactDeclaresZOrderColumnsThatAreDocumentedDataColumnsWithStatistics() {
        Map<String, JsonNode> docs = TableSchemas.all();
        List<String> problems = new ArrayList<>();
        for (Job job : Warehouse.graph().ordered()) {
            String table = job.output();
            if (table.startsWith("gold.mart_") || table.startsWith("gold.fct_")) {
                assertFalse(job.zorderBy().isEmpty(), table + " declares no zorderBy");
            }
            if (job.zorderBy().isEmpty()) {
                continue;
            }
            JsonNode doc = docs.get(table);
            assertTrue(doc != null, "schemas/tables/" + table + ".schema.json is missing");
            List<String> columns = new ArrayList<>();
            doc.get("properties").fieldNames().forEachRemaining(columns::add);
            problems.addAll(Maintenance.zorderProblems(table, job.zorderBy(), columns, job.partitionBy()));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theTablesToMaintainAreTheGraphsOutputsThenItsRejectAndAuditTables() {
        List<Maintenance.Target> all = Maintenance.targets(Warehouse.graph());
        List<String> names = all.stream().map(Maintenance.Target::table).toList();
        assertEquals(Warehouse.graph().ordered().size() + 4, names.size());
        assertEquals(List.of("bronze.rejects", "ops.ingest_files", "silver.rejects", "ops.run_log"),
                names.subList(names.size() - 4, names.size()));
        assertEquals(List.of(new Maintenance.Target("gold.fct_orders", List.of("account_key", "order_date"))),
                Maintenance.select(all, List.of("gold.fct_orders")));

        // A gold-only run (run --layer gold) wrote no rejects: only its own tables and the run log.
        List<String> gold = Maintenance.targets(Warehouse.graph().layer("gold")).stream()
                .map(Maintenance.Target::table).toList();
        assertTrue(gold.stream().allMatch(t -> t.startsWith("gold.") || t.equals("ops.run_log")), gold.toString());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Maintenance.select(all, List.of("gold.fct_order")));
        assertTrue(unknown.getMessage().startsWith("no table gold.fct_order to maintain; tables are bronze."),
                unknown.getMessage());
    }
}
