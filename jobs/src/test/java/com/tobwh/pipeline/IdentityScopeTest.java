package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.io.DeltaTables;
import com.tobwh.silver.IntIdentityStitched;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Identity intervals rebuilt on a night by device, resuming from the intervals that start before the earliest
 * changed identified event (times +08:00, the reporting zone; staged events one file a month).
 *
 * <pre>
 * before the night:
 *   d1  e1 2026-01-05 10:00 c1, e2 2026-02-10 10:00 c2, e3 2026-03-14 10:00 c2
 *       → 1 c1 [start, 02-10 10:00), 2 c2 [02-10 10:00, open), 2 contacts
 *   d2  f1 2026-01-20 09:00 c3                          → 1 c3
 *   d3  g1 2026-03-01 09:00 c4                          → 1 c4
 * the night (delivered 03-17):
 *   e4 2026-03-13 12:00 d1 c5, a day late               → splits d1's c2 interval: c2 until e4, c5 until e3,
 *                                                         c2 again from e3; 3 contacts
 *   f2 2026-03-16 11:00 d2 c3                           → d2's key, but its one interval stays as it was
 *   g2 2026-03-16 10:00 d3 anonymous                    → no key: an anonymous event changes no interval
 *
 * keys {d1, d2}; resumed from e4's time, 2026-03-13 04:00 UTC
 * carried (the intervals starting before it): d1's 1 and 2, d2's 1
 * events read: March's file only (5 rows: e3, g1, e4, f2, g2), not January's 2 or February's 1
 * d1 after: 1 c1 [start, 02-10 10:00), 2 c2 [02-10 10:00, 03-13 12:00), 3 c5 [03-13 12:00, 03-14 10:00),
 *           4 c2 [03-14 10:00, open), each with 3 contacts; the table = a whole rebuild
 * </pre>
 */
class IdentityScopeTest {
    private static final String EVENTS = "silver.stg_web_traffic__events";
    private static final String IDENTITY = "silver.int_identity__stitched";

    @Test
    void aNightResumesEachChangedDeviceFromItsIntervalsBeforeTheEarliestChange() {
        SparkSession spark = SparkTestSession.get();
        DeltaTables tables = new DeltaTables(spark,
                SparkTestSession.testConfig(SparkTestSession.scratch("identity-scope").resolve("warehouse")));
        RunContext ctx = new RunContext("identity-scope", LocalDate.parse("2026-03-17"),
                LocalDate.parse("2026-03-17"), SparkTestSession.testConfig(SparkTestSession.scratch("identity-cfg")));
        IntIdentityStitched job = new IntIdentityStitched();
        List<String> before = List.of(
                "e1 2026-01-05T10:00:00 d1 c1 -", "e2 2026-02-10T10:00:00 d1 c2 -", "e3 2026-03-14T10:00:00 d1 c2 -",
                "f1 2026-01-20T09:00:00 d2 c3 -", "g1 2026-03-01T09:00:00 d3 c4 -");
        List<String> night = List.of(
                "e4 2026-03-13T12:00:00 d1 c5 -", "f2 2026-03-16T11:00:00 d2 c3 -", "g2 2026-03-16T10:00:00 d3 - -");

        tables.overwrite(EVENTS, SessionScopeTest.staged(before, ctx).repartition(col("event_month")),
                List.of("event_month"));
        long built = tables.latestVersion(EVENTS);
        tables.overwrite(IDENTITY, job.build(Map.of(EVENTS, tables.readAt(EVENTS, built)), ctx).rows(), List.of());
        Dataset<Row> all = SessionScopeTest.staged(java.util.stream.Stream.concat(before.stream(), night.stream())
                .toList(), ctx);
        tables.replaceWhere(EVENTS, all.filter(col("event_month").equalTo("2026-03-01")).coalesce(1),
                "event_month = DATE'2026-03-01'");
        long now = tables.latestVersion(EVENTS);
        Map<String, Dataset<Row>> inputs = Map.of(EVENTS, tables.readAt(EVENTS, now));

        Scope scope = Scope.plan(job, ctx, tables, new JobState(Map.of(EVENTS, built), LocalDate.parse("2026-03-16")),
                Map.of(EVENTS, now), inputs);
        assertEquals(Set.of("d1", "d2"), scope.keys());
        assertTrue(scope.reason().endsWith("resumed from 2026-03-13T04:00:00Z"), scope.reason());

        Map<String, Dataset<Row>> restricted = scope.restrict(inputs);
        assertEquals(Set.of("d1 1 c1", "d1 2 c2", "d2 1 c3"), restricted.get(IDENTITY).collectAsList().stream()
                .map(r -> r.getAs("anonymous_id") + " " + r.getAs("interval_number") + " " + r.getAs("contact_id"))
                .collect(Collectors.toSet()));
        Map<String, ReadMetrics.Read> reads;
        try (ReadMetrics metrics = ReadMetrics.start(spark.sparkContext(), ctx.runId())) {
            ReadMetricsTest.inGroup(spark.sparkContext(), ctx.runId(), "events",
                    () -> scope.restrict(inputs).get(EVENTS).collectAsList());
            reads = metrics.reads();
        }
        assertEquals(5, reads.get("events").rows());

        Dataset<Row> rebuilt = scope.keep(job.build(restricted, ctx).rows()).persist(StorageLevel.MEMORY_AND_DISK());
        Gates.check(job, rebuilt);
        tables.replaceKeys(IDENTITY, rebuilt, scope.key(), scope.keys(), job.partitionBy());
        rebuilt.unpersist();

        Set<String> table = intervals(tables.read(IDENTITY));
        assertEquals(intervals(job.build(inputs, ctx).rows()), table);
        assertEquals(Set.of(
                "d1 1 c1 null 2026-02-10T02:00:00Z 3",
                "d1 2 c2 2026-02-10T02:00:00Z 2026-03-13T04:00:00Z 3",
                "d1 3 c5 2026-03-13T04:00:00Z 2026-03-14T02:00:00Z 3",
                "d1 4 c2 2026-03-14T02:00:00Z null 3",
                "d2 1 c3 null null 1",
                "d3 1 c4 null null 1"), table);
    }

    /** "device number contact valid_from valid_to contacts" (times in UTC). */
    private static Set<String> intervals(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(r -> r.getAs("anonymous_id") + " " + r.getAs("interval_number")
                + " " + r.getAs("contact_id") + " " + instant(r.getAs("valid_from")) + " "
                + instant(r.getAs("valid_to")) + " " + r.getAs("contacts_on_device")).collect(Collectors.toSet());
    }

    private static String instant(java.sql.Timestamp t) {
        return t == null ? "null" : t.toInstant().toString();
    }
}
