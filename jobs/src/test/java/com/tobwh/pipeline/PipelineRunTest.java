package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole graph on a three-day hand-made landing zone.
 * <pre>
 * fx_rates   d1: USD 7.0                    d2, d3: none (the latest earlier rate applies)
 * orders     d1: o1 a1 1000 CNY paid        d2: o2 a2 100 USD paid on d2 → 700 CNY
 *            d2: o3 a3 50 EUR paid → no EUR rate at all: refused into silver.rejects
 *            d3: o1 re-delivered as refunded (latest delivery wins → net 0), o4 a1 300 CNY paid
 * so 2026-03 revenue = a2 700 + a1 300 = 1000 from two customers.
 * </pre>
 */
class PipelineRunTest {
    private static final LocalDate D1 = LocalDate.parse("2026-03-01");
    private static final LocalDate D3 = LocalDate.parse("2026-03-03");
    private static final String HEADER = "order_id,account_id,opportunity_id,order_date,order_type,plan,seats,amount,"
            + "currency,status,service_start,service_end";
    private static SparkSession spark;
    private static WarehouseConfig cfg;
    private static DeltaTables tables;
    private static RunReport first;

    @BeforeAll
    static void runOnce() throws IOException {
        spark = SparkTestSession.get();
        Path root = SparkTestSession.scratch("pipeline");
        Path landing = root.resolve("landing");
        write(landing, "fx_rates", "2026-03-01", "fx_rates.csv", "date,currency,rate\n2026-03-01,USD,7.0\n");
        write(landing, "orders", "2026-03-01", "orders.csv", HEADER + "\n"
                + "o1,a1,op1,2026-03-01,new,growth,10,1000,CNY,paid,2026-03-01,2027-02-28\n");
        write(landing, "orders", "2026-03-02", "orders.csv", HEADER + "\n"
                + "o2,a2,,2026-03-02,new,starter,2,100,USD,paid,2026-03-02,2026-04-01\n"
                + "o3,a3,,2026-03-02,new,starter,2,50,EUR,paid,2026-03-02,2026-04-01\n"
                + "o9,a9,,2026-03-02,new,starter,2,-1,CNY,paid,2026-03-02,2026-04-01\n");
        write(landing, "orders", "2026-03-03", "orders.csv", HEADER + "\n"
                + "o1,a1,op1,2026-03-01,new,growth,10,1000,CNY,refunded,2026-03-01,2027-02-28\n"
                + "o4,a1,,2026-03-03,expansion,growth,3,300,CNY,paid,2026-03-03,2027-02-28\n");
        write(landing, "crm", "2026-03-01", "accounts.jsonl",
                "{\"account_id\":\"a1\",\"name\":\"Acme\",\"created_at\":\"2026-01-01T09:00:00+08:00\","
                        + "\"updated_at\":\"2026-03-01T09:00:00+08:00\",\"is_deleted\":false}\n");
        cfg = SparkTestSession.testConfig(root.resolve("warehouse"));
        cfg.landingRoot = landing.toString();
        tables = new DeltaTables(spark, cfg);
        first = run("first");
    }

    private static RunReport run(String id) {
        return new Pipeline(spark, tables, Warehouse.graph()).run(new RunContext(id, D1, D3, cfg));
    }

    @Test
    void revenueIsConvertedAtTheLatestEarlierRateAndTheLatestDeliveryWins() {
        List<Row> fct = tables.read("gold.fct_orders").orderBy("order_id").collectAsList();
        assertEquals(List.of("o1", "o2", "o4"),
                fct.stream().map(r -> r.<String>getAs("order_id")).toList());
        assertEquals("refunded", fct.get(0).getAs("status"));
        assertEquals(0, BigDecimal.ZERO.compareTo(fct.get(0).getAs("net_revenue_rc")));
        assertEquals(0, new BigDecimal("700").compareTo(fct.get(1).getAs("net_revenue_rc")));
        // a2 is not in the CRM: the fact points at the unknown member instead of a null key.
        assertEquals(-1L, fct.get(1).<Long>getAs("account_key"));
        Row month = tables.read("gold.mart_revenue_concentration")
                .filter(col("period_type").equalTo("month")).first();
        assertEquals(2L, month.<Long>getAs("customers"));
        assertEquals(0, new BigDecimal("1000").compareTo(month.getAs("revenue")));
        assertEquals(0.7, month.<Double>getAs("top_20pct_revenue_share"), 1e-9);
    }

    @Test
    void anOrderWithoutAnyRateIsRefusedNotZeroed() {
        List<Row> refused = tables.read("silver.rejects").collectAsList();
        assertEquals(1, refused.size());
        assertEquals("no CNY rate for EUR on or before 2026-03-02 in fx_rates", refused.get(0).getAs("reason"));
        assertTrue(refused.get(0).<String>getAs("file").endsWith("dt=2026-03-02/orders.csv"));
        assertEquals(3L, refused.get(0).<Long>getAs("line"));
    }

    @Test
    void everyFileReconcilesAndRejectsArePersisted() {
        assertEquals(first.rowsIn(), first.rowsLoaded() + first.rowsRejected());
        assertEquals(1, first.rowsRejected());
        Row reject = tables.read("bronze.rejects").first();
        assertEquals("field 'amount' '-1' is below the minimum 0", reject.getAs("reason"));
        Row day2 = tables.read("ops.ingest_files").filter(col("file").endsWith("dt=2026-03-02/orders.csv")).first();
        assertEquals(3L, day2.<Long>getAs("rows_in"));
        assertEquals(2L, day2.<Long>getAs("rows_loaded"));
        assertEquals(1L, day2.<Long>getAs("rows_rejected"));
        assertTrue(tables.read("ops.run_log").filter(col("run_id").equalTo("first")).count() >= 16);
    }

    @Test
    void theRunLogSaysWhatEachJobReadFromDataFiles() {
        Dataset<Row> log = tables.read("ops.run_log").filter(col("run_id").equalTo("first"));
        // A bronze job reads the landing lines the run read once and cached, no table's files.
        Row bronze = log.filter(col("job").equalTo("bronze.orders")).first();
        assertEquals(0L, bronze.<Long>getAs("read_rows"));
        // The first build of stg_orders reads all of bronze.orders, at least once.
        Row staging = log.filter(col("job").equalTo("silver.stg_orders")).first();
        assertTrue(staging.<Long>getAs("read_rows") >= tables.read("bronze.orders").count(), staging.toString());
        assertTrue(staging.<Long>getAs("read_bytes") > 0, staging.toString());
    }

    @Test
    void martIsQueryableByNameFromANewSession() {
        SparkSession other = spark.newSession();
        // As of 2026-03-03: year 2026, Q1, March, and the trailing window ending in March.
        assertEquals(4L, other.sql("select count(*) from gold.mart_revenue_concentration").first().getLong(0));
    }

    @Test
    void reRunningTheSameDatesGivesTheSameTables() {
        List<String> names = Warehouse.graph().ordered().stream().map(Job::output).toList();
        List<List<Row>> before = names.stream().map(PipelineRunTest::snapshot).toList();
        long dimDateVersion = tables.latestVersion("gold.dim_date");
        run("second");
        for (int i = 0; i < names.size(); i++) {
            assertEquals(before.get(i), snapshot(names.get(i)), names.get(i) + " changed on re-run");
        }
        // Built from configuration alone, the dimensions are skipped (the same configuration and build), not written
        // again: a new version would send every job reading them into a full rebuild.
        assertEquals(dimDateVersion, tables.latestVersion("gold.dim_date"));
        assertEquals(List.of("skipped", "skipped"), tables.read(Pipeline.RUN_LOG)
                .filter("run_id = 'second' and job in ('gold.dim_date', 'gold.dim_channel')")
                .select("mode").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        assertEquals(1, tables.read("bronze.rejects").count(), "rejects are replaced, not appended");
    }

    @Test
    void aFailedGateStopsTheRunAndNamesTableCheckAndKeys() {
        Job duplicates = new Job() {
            public String output() {
                return "gold.broken";
            }

            public List<String> inputs() {
                return List.of("silver.stg_orders");
            }

            public Built build(java.util.Map<String, Dataset<Row>> in, RunContext ctx) {
                return Built.of(in.get("silver.stg_orders").select("account_id"));
            }

            public String grain() {
                return "wrongly one row per account";
            }

            public List<String> primaryKey() {
                return List.of("account_id");
            }
        };
        Gates.GateFailure e = assertThrows(Gates.GateFailure.class,
                () -> Gates.check(duplicates, duplicates.build(java.util.Map.of("silver.stg_orders",
                        tables.read("silver.stg_orders")), null).rows()));
        assertEquals("gold.broken: primary key [account_id] is not unique, e.g. [a1,2]", e.getMessage());
    }

    /** A table's rows in a stable order, without the run id that differs by design between runs. */
    private static List<Row> snapshot(String table) {
        Dataset<Row> t = tables.read(table);
        String[] keep = Arrays.stream(t.columns()).filter(c -> !c.equals("_run_id") && !c.equals("run_id"))
                .toArray(String[]::new);
        Dataset<Row> s = t.selectExpr(keep);
        return s.orderBy(Arrays.stream(keep).map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new))
                .collectAsList();
    }

    /** Writes one landing file, {@code landing/<source>/dt=<dt>/<name>}. */
    static void write(Path landing, String source, String dt, String name, String text) throws IOException {
        Path dir = landing.resolve(source).resolve("dt=" + dt);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), text);
    }
}
