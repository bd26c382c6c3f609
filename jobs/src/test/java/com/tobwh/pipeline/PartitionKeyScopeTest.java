package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fact keyed by (month partition, id) (Rule.inPartition): a night rebuilds only the rows that changed, reading
 * and replacing only the months its keys name, however many months of history the table holds.
 *
 * <pre>
 * silver.sessions (session_month, session_id, pages), partitioned by month, one file a month:
 *   2025-12  s0 1, s6 1, s7 1, s8 1        (an old month: four sessions nothing touches)
 *   2026-01  s1 3, s2 1
 *   2026-02  s3 2, s4 5
 *   2026-03  s5 1
 * the night rewrites January to March (as a rebuild by key of the month partitions whose rows changed):
 *   s3 moved back to January (a late event before its start), with 3 pages; s5 now 4 pages; s1, s2, s4 the same
 * gold.facts (session_month, session_id, score = pages × 10), keyed by (session_month, session_id)
 *
 * silver.sessions' netted changes: s3 out of 02, s3 into 01, s5 1 → 4
 *   → keys {2026-01-01|s3, 2026-02-01|s3, 2026-03-01|s5}: s1, s2, s4 came out the same and are not rebuilt
 * the rebuild reads January to March of silver.sessions (3 + 1 + 1 = 5 rows), never December's file (4 rows)
 * the replace reads the 5 rebuilt rows once into the cache, then gold.facts' January to March files only
 * (2 + 2 + 1 = 5 rows): to compare them with the rebuilt rows (5), to find the files holding the keys (5), and to
 * copy the other rows of those that do, February's and March's (2 + 1; January's holds no key): 18 rows. With the
 * month out of the key, December's file (4 rows) would be read by the comparison and the search as well.
 * after it gold.facts = a whole rebuild: s3 once, in January, score 30; s5 40; the rest as they were
 * </pre>
 */
class PartitionKeyScopeTest {
    private static final Job FACTS = new Job() {
        @Override
        public String output() {
            return "gold.facts";
        }

        @Override
        public List<String> inputs() {
            return List.of("silver.sessions");
        }

        @Override
        public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
            return Built.of(in.get("silver.sessions").select(col("session_month"), col("session_id"),
                    col("pages").multiply(10).as("score")));
        }

        @Override
        public String grain() {
            return "session";
        }

        @Override
        public List<String> partitionBy() {
            return List.of("session_month");
        }

        @Override
        public Incremental incremental() {
            return Incremental.byKey("session_month", "session_id")
                    .with("silver.sessions", Incremental.Rule.inPartition("session_month", "session_id"));
        }
    };

    @Test
    void aNightRebuildsTheChangedRowsFromTheMonthsTheyNameOnly() {
        SparkSession spark = SparkTestSession.get();
        DeltaTables tables = new DeltaTables(spark,
                SparkTestSession.testConfig(SparkTestSession.scratch("partition-key").resolve("warehouse")));
        RunContext ctx = new RunContext("partition-key", LocalDate.parse("2026-03-31"), LocalDate.parse("2026-03-31"),
                SparkTestSession.testConfig(SparkTestSession.scratch("partition-key-cfg")));
        long before = tables.overwrite("silver.sessions", sessions("2025-12-01 s0 1", "2025-12-01 s6 1",
                "2025-12-01 s7 1", "2025-12-01 s8 1", "2026-01-01 s1 3", "2026-01-01 s2 1", "2026-02-01 s3 2",
                "2026-02-01 s4 5", "2026-03-01 s5 1"), List.of("session_month"));
        tables.overwrite("gold.facts", FACTS.build(Map.of("silver.sessions", tables.read("silver.sessions")), ctx)
                .rows(), List.of("session_month"));
        long night = tables.replaceWhere("silver.sessions", sessions("2026-01-01 s1 3", "2026-01-01 s2 1",
                "2026-01-01 s3 3", "2026-02-01 s4 5", "2026-03-01 s5 4"), "session_month >= DATE'2026-01-01'");

        Scope scope = Scope.plan(FACTS, ctx, tables, new JobState(Map.of("silver.sessions", before),
                LocalDate.parse("2026-03-30")), Map.of("silver.sessions", night), Map.of("silver.sessions",
                tables.readAt("silver.sessions", night)));
        assertEquals(Set.of("2026-01-01|s3", "2026-02-01|s3", "2026-03-01|s5"), scope.keys());

        Map<String, ReadMetrics.Read> reads;
        try (ReadMetrics metrics = ReadMetrics.start(spark.sparkContext(), ctx.runId())) {
            Dataset<Row> rebuilt = scope.keep(FACTS.build(scope.restrict(
                    Map.of("silver.sessions", tables.readAt("silver.sessions", night))), ctx).rows());
            ReadMetricsTest.inGroup(spark.sparkContext(), ctx.runId(), "rebuild", rebuilt::collectAsList);
            // Cached, as the pipeline holds a job's rows between its gates and its write.
            Dataset<Row> held = rebuilt.persist(StorageLevel.MEMORY_AND_DISK());
            ReadMetricsTest.inGroup(spark.sparkContext(), ctx.runId(), "replace", () -> tables.replaceKeys(
                    "gold.facts", held, scope.key(), scope.keys(), FACTS.partitionBy()));
            held.unpersist();
            reads = metrics.reads();
        }
        assertEquals(5, reads.get("rebuild").rows());
        assertEquals(5 + 5 + 5 + 3, reads.get("replace").rows());
        assertEquals(Set.of("2025-12-01 s0 10", "2025-12-01 s6 10", "2025-12-01 s7 10", "2025-12-01 s8 10",
                        "2026-01-01 s1 30", "2026-01-01 s2 10", "2026-01-01 s3 30", "2026-02-01 s4 50",
                        "2026-03-01 s5 40"),
                Set.copyOf(tables.read("gold.facts").collectAsList().stream()
                        .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).toList()));
        assertEquals(9, tables.read("gold.facts").count());
    }

    /** Rows "month id pages", one file per month. */
    private static Dataset<Row> sessions(String... rows) {
        return SparkTestSession.get().createDataset(List.of(rows), org.apache.spark.sql.Encoders.STRING())
                .selectExpr("CAST(split(value, ' ')[0] AS DATE) AS session_month", "split(value, ' ')[1] AS session_id",
                        "CAST(split(value, ' ')[2] AS INT) AS pages")
                .repartition(col("session_month"));
    }
}
