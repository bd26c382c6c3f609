package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What a nightly run rebuilds of a monthly table (revenue per month and region, keyed by both), from its input's
 * changes and the run date moving on.
 *
 * <pre>
 * last run: as of 2026-02-10, built from sales v0:  2026-01-05 north 10 · 2026-01-20 south 5 · 2026-02-03 north 7
 * sales v1 restates 2026-01-20 south 5 → 6
 * run as of 2026-03-02: the change feeds 2026-01-01|south; the days 02-11..03-02 feed February and March of both
 *   regions → keys {2026-01-01|south, 2026-02-01|north, 2026-02-01|south, 2026-03-01|north, 2026-03-01|south};
 *   the rebuild reads only sales rows of those keys: 2026-01-20 south and 2026-02-03 north
 * run as of 2026-02-10 with sales still at v0: nothing changed, skipped
 * run as of 2026-02-09 (earlier than the last run): rebuilt whole
 * </pre>
 */
class ScopeTest {
    private static final LocalDate LAST = LocalDate.parse("2026-02-10");
    private DeltaTables tables;
    private long v0;

    /** Revenue per month and region; the run date reaches both regions' months. */
    private static final Job MONTHLY = new Job() {
        @Override
        public String output() {
            return "gold.monthly";
        }

        @Override
        public List<String> inputs() {
            return List.of("silver.sales");
        }

        @Override
        public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
            return Built.of(in.get("silver.sales").groupBy(trunc(col("day"), "MM").as("month"), col("region"))
                    .agg(sum("amount").as("amount")));
        }

        @Override
        public String grain() {
            return "month and region";
        }

        @Override
        public Incremental incremental() {
            return Incremental.byKey("month", "region")
                    .with("silver.sales", Incremental.Rule.keys(ctx -> concat_ws("|",
                            trunc(col("day"), "MM").cast("string"), col("region"))))
                    .onRunDates(ctx -> array(
                            concat_ws("|", trunc(col("date"), "MM").cast("string"),
                                    lit("north")),
                            concat_ws("|", trunc(col("date"), "MM").cast("string"),
                                    lit("south"))));
        }
    };

    @BeforeEach
    void lastRun() {
        tables = new DeltaTables(SparkTestSession.get(),
                SparkTestSession.testConfig(SparkTestSession.scratch("scope").resolve("warehouse")));
        v0 = tables.overwrite("silver.sales", sales("2026-01-05 north 10", "2026-01-20 south 5", "2026-02-03 north 7"),
                List.of());
        tables.overwrite("gold.monthly", MONTHLY.build(Map.of("silver.sales", tables.read("silver.sales")),
                context(LAST)).rows(), List.of());
    }

    @Test
    void aChangedRowAndTheDaysSinceTheLastRunGiveTheKeysAndTheRebuildReadsOnlyTheirRows() {
        long v1 = tables.overwrite("silver.sales", sales("2026-01-05 north 10", "2026-01-20 south 6",
                "2026-02-03 north 7"), List.of());

        Scope scope = plan(LocalDate.parse("2026-03-02"), v1);

        assertEquals("by_key", scope.mode());
        assertEquals(Set.of("2026-01-01|south", "2026-02-01|north", "2026-02-01|south", "2026-03-01|north",
                "2026-03-01|south"), scope.keys());
        Dataset<Row> read = scope.restrict(Map.of("silver.sales", tables.read("silver.sales"))).get("silver.sales");
        assertEquals(Set.of("2026-01-20 south 6", "2026-02-03 north 7"), lines(read));
    }

    @Test
    void nothingChangedOnTheSameDateIsSkipped() {
        assertEquals("skipped", plan(LAST, v0).mode());
    }

    @Test
    void aRunDatedBeforeTheLastOneRebuildsWhole() {
        Scope scope = plan(LAST.minusDays(1), v0);
        assertEquals("full", scope.mode());
        assertNull(scope.keys());
    }

    private Scope plan(LocalDate asOf, long salesVersion) {
        return Scope.plan(MONTHLY, context(asOf), tables, new JobState(Map.of("silver.sales", v0), LAST),
                Map.of("silver.sales", salesVersion),
                Map.of("silver.sales", tables.readAt("silver.sales", salesVersion)));
    }

    private static RunContext context(LocalDate asOf) {
        return new RunContext("r", asOf, asOf, SparkTestSession.testConfig(SparkTestSession.scratch("scope-cfg")));
    }

    private static Dataset<Row> sales(String... rows) {
        SparkSession spark = SparkTestSession.get();
        return spark.createDataset(List.of(rows), org.apache.spark.sql.Encoders.STRING())
                .selectExpr("CAST(split(value, ' ')[0] AS DATE) AS day", "split(value, ' ')[1] AS region",
                        "CAST(split(value, ' ')[2] AS INT) AS amount");
    }

    private static Set<String> lines(Dataset<Row> rows) {
        return Set.copyOf(rows.collectAsList().stream().map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).toList());
    }
}
