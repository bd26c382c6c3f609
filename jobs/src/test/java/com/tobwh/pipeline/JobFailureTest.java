package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.io.DeltaTables;
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

    /** Three rows, each failing assert_true inside a task when the rows are computed. */
    private static final class FailingInTasks implements Job {
        @Override
        public String output() {
            return "gold.failing_in_tasks";
        }

        @Override
        public List<String> inputs() {
            return List.of();
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
        Pipeline pipeline = new Pipeline(spark, tables, new JobGraph(List.of(new FailingInTasks())));

        assertThrows(RuntimeException.class, () -> pipeline.run(new RunContext("r-fail", D, D, cfg)));

        Row logged = tables.read(Pipeline.RUN_LOG).filter("job = 'gold.failing_in_tasks'").first();
        assertEquals("r-fail", logged.getAs("run_id"));
        assertEquals("failed", logged.getAs("status"));
        assertTrue(logged.<String>getAs("message").contains("no row may pass"), logged.<String>getAs("message"));
        assertFalse(tables.exists("gold.failing_in_tasks"), "nothing was written");
    }
}
