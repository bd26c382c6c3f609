package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.bronze.BronzeJob;
import com.tobwh.bronze.LandingSchemas;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.io.DeltaTables;
import com.tobwh.silver.IntFxRatesDaily;
import com.tobwh.silver.StgFxRates;
import com.tobwh.silver.StgOrders;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job whose Spark tasks fail: the run fails, and ops.run_log still says which job failed and why. Spark reports a
 * failed stage as a SparkException, which Java counts as checked although nothing declares it, so a handler for
 * RuntimeException alone lets it pass unlogged.
 */
class JobFailureTest {
    private static final LocalDate D = LocalDate.parse("2026-03-10");

    /** Three rows, each failing assert_true inside a task when the rows are computed; runs after its inputs. */
    private record FailingInTasks(List<String> inputs) implements Job {
        @Override
        public String output() {
            return "gold.failing_in_tasks";
        }

        @Override
        public Built build(Map<String, Dataset<Row>> inputs, RunContext ctx) {
            return Built.of(SparkTestSession.get().range(3).select(expr("assert_true(id < 0, 'no row may pass')")
                    .as("x")));
        }

        @Override
        public String grain() {
            return "none: it fails";
        }
    }

    @Test
    void aJobWhoseTasksFailFailsTheRunAndIsLoggedAsFailed() {
        SparkSession spark = SparkTestSession.get();
        WarehouseConfig cfg = SparkTestSession.testConfig(SparkTestSession.scratch("job-failure").resolve("wh"));
        DeltaTables tables = new DeltaTables(spark, cfg);
        Pipeline pipeline = new Pipeline(spark, tables, new JobGraph(List.of(new FailingInTasks(List.of()))));

        assertThrows(RuntimeException.class, () -> pipeline.run(new RunContext("r-fail", D, D, cfg)));

        Row logged = tables.read(Pipeline.RUN_LOG).filter("job = 'gold.failing_in_tasks'").first();
        assertEquals("r-fail", logged.getAs("run_id"));
        assertEquals("failed", logged.getAs("status"));
        assertTrue(logged.<String>getAs("message").contains("no row may pass"), logged.<String>getAs("message"));
        assertFalse(tables.exists("gold.failing_in_tasks"), "nothing was written");
    }

    /**
     * Orders staged in one wave refuse o3 (no EUR rate); a job of the next wave fails. stg_orders finished and is
     * logged as succeeded, so the next run skips it: its refusal must be in silver.rejects now, or never.
     */
    @Test
    void rowsRefusedByAJobThatFinishedAreKeptWhenALaterJobFails() throws java.io.IOException {
        SparkSession spark = SparkTestSession.get();
        java.nio.file.Path root = SparkTestSession.scratch("job-failure-rejects");
        PipelineRunTest.write(root.resolve("landing"), "fx_rates", "2026-03-10", "fx_rates.csv",
                "date,currency,rate\n2026-03-10,USD,7.0\n");
        PipelineRunTest.write(root.resolve("landing"), "orders", "2026-03-10", "orders.csv",
                "order_id,account_id,opportunity_id,order_date,order_type,plan,seats,amount,currency,status,"
                        + "service_start,service_end\n"
                        + "o3,a3,,2026-03-10,new,starter,2,50,EUR,paid,2026-03-10,2026-04-09\n");
        WarehouseConfig cfg = SparkTestSession.testConfig(root.resolve("wh"));
        cfg.landingRoot = root.resolve("landing").toString();
        DeltaTables tables = new DeltaTables(spark, cfg);
        Pipeline pipeline = new Pipeline(spark, tables, new JobGraph(List.of(
                new BronzeJob(LandingSchemas.byName("fx_rates")), new BronzeJob(LandingSchemas.byName("orders")),
                new StgFxRates(), new IntFxRatesDaily(), new StgOrders(),
                new FailingInTasks(List.of("silver.stg_orders")))));

        assertThrows(RuntimeException.class, () -> pipeline.run(new RunContext("r-late-fail", D, D, cfg)));

        assertEquals(List.of("succeeded"), tables.read(Pipeline.RUN_LOG).filter("job = 'silver.stg_orders'")
                .select("status").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        assertEquals(List.of("silver.stg_orders o3"), tables.read(Pipeline.SILVER_REJECTS).collectAsList().stream()
                .map(r -> r.getAs("job") + " " + r.getAs("key")).toList());
    }
}
