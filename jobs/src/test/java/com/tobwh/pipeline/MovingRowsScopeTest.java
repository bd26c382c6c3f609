package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a nightly run rebuilds of a table whose open rows move with the run date ({@link
 * Incremental#movingWithRunDate}), as an open ticket's SLA clock does.
 *
 * <pre>
 * last run: as of 2026-02-10, built from items v0:  a open · b closed · c open
 * run as of 2026-02-11, items unchanged:            the open rows a, c are rebuilt; only their input rows are read
 * items v1 reopens b; run as of 2026-02-11:         a, c (open as the last run wrote them) and b (changed)
 * items v1 reopens b; run as of 2026-02-10 again:   b alone (the date did not move)
 * run as of 2026-02-10, items unchanged:            skipped
 * </pre>
 */
class MovingRowsScopeTest {
    private static final LocalDate LAST = LocalDate.parse("2026-02-10");
    private DeltaTables tables;
    private long v0;

    /** One row per item; an open item's row moves with the run date. */
    private static final Job ITEMS = new Job() {
        @Override
        public String output() {
            return "gold.items";
        }

        @Override
        public List<String> inputs() {
            return List.of("silver.items");
        }

        @Override
        public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
            return Built.of(in.get("silver.items").withColumn("is_open", col("status").equalTo("open")));
        }

        @Override
        public String grain() {
            return "one row per item";
        }

        @Override
        public Incremental incremental() {
            return Incremental.byKey("id")
                    .with("silver.items", Incremental.Rule.column("id"))
                    .movingWithRunDate(col("is_open"));
        }
    };

    @BeforeEach
    void lastRun() {
        tables = new DeltaTables(SparkTestSession.get(),
                SparkTestSession.testConfig(SparkTestSession.scratch("moving-rows").resolve("warehouse")));
        v0 = tables.overwrite("silver.items", items("a open", "b closed", "c open"), List.of());
        tables.overwrite("gold.items", ITEMS.build(Map.of("silver.items", tables.read("silver.items")), null).rows(),
                List.of());
    }

    @Test
    void theOpenRowsAreRebuiltWhenTheDateMovesOnFromTheirInputRowsAlone() {
        Scope scope = plan(LAST.plusDays(1), v0);

        assertEquals("by_key", scope.mode());
        assertEquals(Set.of("a", "c"), scope.keys());
        Dataset<Row> read = scope.restrict(Map.of("silver.items", tables.read("silver.items"))).get("silver.items");
        assertEquals(Set.of("a", "c"), Set.copyOf(read.select("id").as(Encoders.STRING()).collectAsList()));
    }

    @Test
    void aChangedRowJoinsTheOpenOnesWhenTheDateMovesOnAndIsAloneWhenItDoesNot() {
        long v1 = tables.overwrite("silver.items", items("a open", "b open", "c open"), List.of());

        assertEquals(Set.of("a", "b", "c"), plan(LAST.plusDays(1), v1).keys());
        assertEquals(Set.of("b"), plan(LAST, v1).keys());
    }

    @Test
    void nothingChangedOnTheSameDateIsSkipped() {
        assertEquals("skipped", plan(LAST, v0).mode());
    }

    private Scope plan(LocalDate asOf, long version) {
        RunContext ctx = new RunContext("r", asOf, asOf,
                SparkTestSession.testConfig(SparkTestSession.scratch("moving-rows-cfg")));
        return Scope.plan(ITEMS, ctx, tables, new JobState(Map.of("silver.items", v0), LAST),
                Map.of("silver.items", version), Map.of("silver.items", tables.readAt("silver.items", version)));
    }

    private static Dataset<Row> items(String... rows) {
        return SparkTestSession.get().createDataset(List.of(rows), Encoders.STRING())
                .selectExpr("split(value, ' ')[0] AS id", "split(value, ' ')[1] AS status");
    }
}
