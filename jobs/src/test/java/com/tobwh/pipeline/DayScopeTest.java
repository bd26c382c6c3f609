package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A table keyed by day, rebuilt on a night from the input files of those days only (Rule.dayOf), and replaced
 * in the files of those days only (DATE literals in the replace predicate).
 *
 * <pre>
 * bronze.events, one file per delivery day (times in +08:00, the test's reporting zone):
 *   _dt=03-01  e1 03-01 10:00, e2 03-01 11:00
 *   _dt=03-02  e3 03-02 09:00, e4 03-02 18:00
 *   _dt=03-03  e5 03-03 08:00, e1 03-01 10:00 again (a tracker retry, two days late)   ← the night's delivery
 * silver.events (event_id, event_date), keyed by event_date, one file per day
 *
 * night as of 03-03: the delivery reaches the days 03-01 and 03-03 → keys {2026-03-01, 2026-03-03}
 *   the rebuild reads the files of _dt=03-01 and _dt=03-03 (4 rows); _dt=03-02's lies outside both days
 *   the replace reads silver.events' file of 03-01 (there is none of 03-03 yet), not 03-02's
 *   after it, the table = a whole rebuild: e1, e2, e3, e4, e5 once each (the first delivery of e1 kept)
 * gold.daily (events per day) keyed by event_date, reading silver.events by its day column (Rule.column):
 *   silver.events' netted changes: e5 on 03-03 (03-01's rows came out the same) → keys {2026-03-03}
 *   the rebuild reads the file the night wrote (e1, e2, e5: 3 rows), not 03-02's: it compares the day column
 *   with DATE literals, which the file statistics skip by (as strings, both files: 5 rows)
 * </pre>
 */
class DayScopeTest {
    private static final Job EVENTS = new Job() {
        @Override
        public String output() {
            return "silver.events";
        }

        @Override
        public List<String> inputs() {
            return List.of("bronze.events");
        }

        @Override
        public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
            return Built.of(in.get("bronze.events").select(col("event_id"), to_date(col("event_time")).as("event_date"))
                    .dropDuplicates("event_id"));
        }

        @Override
        public String grain() {
            return "event";
        }

        @Override
        public Incremental incremental() {
            return Incremental.byKey("event_date").with("bronze.events", Incremental.Rule.dayOf("event_time"));
        }
    };

    /** Events per day. */
    private static final Job DAILY = new Job() {
        @Override
        public String output() {
            return "gold.daily";
        }

        @Override
        public List<String> inputs() {
            return List.of("silver.events");
        }

        @Override
        public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
            return Built.of(in.get("silver.events").groupBy("event_date").count());
        }

        @Override
        public String grain() {
            return "day";
        }

        @Override
        public Incremental incremental() {
            return Incremental.byKey("event_date").with("silver.events", Incremental.Rule.column("event_date"));
        }
    };

    @Test
    void aNightReadsAndReplacesTheFilesOfTheDaysItsDeliveryReachesOnly() {
        SparkSession spark = SparkTestSession.get();
        DeltaTables tables = new DeltaTables(spark,
                SparkTestSession.testConfig(SparkTestSession.scratch("day-scope").resolve("warehouse")));
        RunContext ctx = new RunContext("day-scope", LocalDate.parse("2026-03-03"), LocalDate.parse("2026-03-03"),
                SparkTestSession.testConfig(SparkTestSession.scratch("day-scope-cfg")));
        deliver(tables, "2026-03-01", "e1 2026-03-01T10:00:00+08:00", "e2 2026-03-01T11:00:00+08:00");
        long last = deliver(tables, "2026-03-02", "e3 2026-03-02T09:00:00+08:00", "e4 2026-03-02T18:00:00+08:00");
        for (String day : List.of("2026-03-01", "2026-03-02")) {
            // One file per day, as a month of nights leaves the table.
            tables.append("silver.events", EVENTS.build(Map.of("bronze.events", tables.read("bronze.events")), ctx)
                    .rows().filter(col("event_date").equalTo(day)).coalesce(1));
        }
        long eventsBefore = tables.latestVersion("silver.events");
        tables.overwrite("gold.daily", DAILY.build(Map.of("silver.events", tables.read("silver.events")), ctx).rows(),
                List.of());
        long night = deliver(tables, "2026-03-03", "e5 2026-03-03T08:00:00+08:00", "e1 2026-03-01T10:00:00+08:00");
        long bronze03 = fileSizes(tables, "bronze.events", col("_dt").isin("2026-03-01", "2026-03-03"));

        Scope scope = Scope.plan(EVENTS, ctx, tables, new JobState(Map.of("bronze.events", last), LocalDate.parse(
                "2026-03-02")), Map.of("bronze.events", night), Map.of("bronze.events", tables.readAt("bronze.events",
                night)));
        assertEquals(Set.of("2026-03-01", "2026-03-03"), scope.keys());

        Map<String, ReadMetrics.Read> reads;
        try (ReadMetrics metrics = ReadMetrics.start(spark.sparkContext(), ctx.runId())) {
            Supplier<Dataset<Row>> rebuilt = () -> scope.keep(EVENTS.build(scope.restrict(
                    Map.of("bronze.events", tables.readAt("bronze.events", night))), ctx).rows());
            ReadMetricsTest.inGroup(spark.sparkContext(), ctx.runId(), "rebuild", () -> rebuilt.get().collectAsList());
            ReadMetricsTest.inGroup(spark.sparkContext(), ctx.runId(), "replace", () -> tables.replaceKeys("silver.events", rebuilt.get(),
                    List.of("event_date"), scope.keys(), List.of()));
            long eventsAfter = tables.latestVersion("silver.events");
            Scope daily = Scope.plan(DAILY, ctx, tables, new JobState(Map.of("silver.events", eventsBefore),
                    LocalDate.parse("2026-03-02")), Map.of("silver.events", eventsAfter), Map.of("silver.events",
                    tables.readAt("silver.events", eventsAfter)));
            assertEquals(Set.of("2026-03-03"), daily.keys());
            ReadMetricsTest.inGroup(spark.sparkContext(), ctx.runId(), "downstream", () -> daily.restrict(
                    Map.of("silver.events", tables.readAt("silver.events", eventsAfter))).get("silver.events")
                    .collectAsList());
            reads = metrics.reads();
        }
        assertEquals(new ReadMetrics.Read(bronze03, 4), reads.get("rebuild"));
        // The replace builds its rows again (the 4 bronze rows) and reads silver.events' 03-01 file twice: to find
        // the files holding those days, then to copy their other rows. The 03-02 file is skipped by its statistics.
        assertEquals(4 + 2 * 2, reads.get("replace").rows());
        assertEquals(Set.of("e1 2026-03-01", "e2 2026-03-01", "e3 2026-03-02", "e4 2026-03-02", "e5 2026-03-03"),
                Set.copyOf(tables.read("silver.events").collectAsList().stream()
                        .map(r -> r.get(0) + " " + r.get(1)).toList()));
        assertEquals(new ReadMetrics.Read(fileSizes(tables, "silver.events", col("event_date").equalTo("2026-03-03")),
                3), reads.get("downstream"));
    }

    /** Appends one delivery day to bronze.events as one file; returns the version written. */
    private static long deliver(DeltaTables tables, String dt, String... events) {
        Dataset<Row> rows = SparkTestSession.get().createDataset(List.of(events),
                        org.apache.spark.sql.Encoders.STRING())
                .selectExpr("split(value, ' ')[0] AS event_id", "CAST(split(value, ' ')[1] AS TIMESTAMP) AS event_time",
                        "CAST('" + dt + "' AS DATE) AS _dt")
                .coalesce(1);
        return tables.exists("bronze.events") ? tables.append("bronze.events", rows)
                : tables.overwrite("bronze.events", rows, List.of("_dt"));
    }

    /** The bytes of the table's files holding rows that match {@code rows}. */
    private static long fileSizes(DeltaTables tables, String table, org.apache.spark.sql.Column rows) {
        return SparkTestSession.get().read().format("delta").load(tables.path(table))
                .filter(rows).select(org.apache.spark.sql.functions.input_file_name()).distinct()
                .collectAsList().stream().mapToLong(r -> new java.io.File(java.net.URI.create(r.getString(0)))
                        .length()).sum();
    }
}
