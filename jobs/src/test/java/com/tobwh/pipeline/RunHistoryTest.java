package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `status` from ops.run_log rows.
 *
 * <pre>
 * r1 (03-01 02:00:00)  bronze.orders 10 s, 2 rejected; silver.stg_orders starts 02:00:10, 5 s → wall 15 s, 2 jobs ok
 * r2 (03-02 02:00:00)  bronze.orders 4 s; gold.fct_orders fails at 02:00:04 after 1 s: "gate" → wall 5 s, 1 failed
 * newest first: r2, r1; --last 1 shows r2 only
 * a log written before read_bytes existed shows "-" as read; with it, r1's jobs read 1 MiB + 0.5 MiB → "1.5 MB"
 * </pre>
 */
class RunHistoryTest {
    private static Dataset<Row> log() {
        return SparkTestSession.get().sql("""
                SELECT run_id, job, CAST(d AS DATE) AS date_from, CAST(d AS DATE) AS date_to,
                       CAST(NULL AS BIGINT) AS rows_in, CAST(10 AS BIGINT) AS rows_out,
                       CAST(rj AS BIGINT) AS rows_rejected, CAST(ms AS BIGINT) AS duration_ms,
                       status, message, CAST(0 AS BIGINT) AS delta_version, CAST(t AS TIMESTAMP) AS started_at
                FROM VALUES
                  ('r1', 'bronze.orders', '2026-03-01', 2, 10000, 'succeeded', NULL, '2026-03-01T02:00:00Z'),
                  ('r1', 'silver.stg_orders', '2026-03-01', NULL, 5000, 'succeeded', NULL, '2026-03-01T02:00:10Z'),
                  ('r2', 'bronze.orders', '2026-03-02', 0, 4000, 'succeeded', NULL, '2026-03-02T02:00:00Z'),
                  ('r2', 'gold.fct_orders', '2026-03-02', NULL, 1000, 'failed', 'gate', '2026-03-02T02:00:04Z')
                  AS t(run_id, job, d, rj, ms, status, message, t)
                """);
    }

    @Test
    void lastRunsNewestFirstWithWallTimeAndFirstFailure() {
        List<Row> runs = RunHistory.lastRuns(log(), 10).collectAsList();
        assertEquals(List.of("r2", "r1"), runs.stream().map(r -> r.<String>getAs("run_id")).toList());
        Row r2 = runs.get(0);
        assertEquals(5000L, r2.<Long>getAs("wall_ms"));
        assertEquals(1L, r2.<Long>getAs("failed"));
        assertEquals("gold.fct_orders", r2.getAs("failed_job"));
        assertEquals("gate", r2.getAs("failure"));
        Row r1 = runs.get(1);
        assertEquals(15000L, r1.<Long>getAs("wall_ms"));
        assertEquals(2L, r1.<Long>getAs("succeeded"));
        assertEquals(2L, r1.<Long>getAs("rows_rejected"));
        assertNull(r1.getAs("failed_job"));
        String text = RunHistory.text(runs);
        assertTrue(text.contains("FAILED in gold.fct_orders: gate"), text);
        assertTrue(text.contains("2026-03-01..2026-03-01"), text);
        assertEquals(1, RunHistory.lastRuns(log(), 1).count());
        assertTrue(text.lines().skip(1).allMatch(l -> l.contains(" - ")), text);
    }

    @Test
    void aRunSaysHowManyBytesOfDataFilesItsJobsScanned() {
        Dataset<Row> withReads = log().withColumn("read_bytes", org.apache.spark.sql.functions.expr(
                "CASE job WHEN 'bronze.orders' THEN IF(run_id = 'r1', 1048576, 0) ELSE 524288 END"));
        List<Row> runs = RunHistory.lastRuns(withReads, 10).collectAsList();
        assertEquals(1572864L, runs.get(1).<Long>getAs("read_bytes"));
        assertTrue(RunHistory.text(runs).lines().anyMatch(l -> l.startsWith("r1 ") && l.contains("1.5 MB")),
                RunHistory.text(runs));
    }
}
