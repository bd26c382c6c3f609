package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.io.DeltaTables;
import com.tobwh.silver.IntIdentityStitched;
import com.tobwh.silver.IntSessionsSessionized;
import com.tobwh.silver.StgCrmContacts;
import com.tobwh.silver.StgWebTrafficEvents;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sessions rebuilt on a night by device and month, from the events near the changed ones, plus the months an
 * identity change re-labels (times +08:00, the reporting zone; staged events one file a month).
 *
 * <pre>
 * before the night:
 *   d3  x1 2025-12-05 10:00 s9, x2 10:10 s9                       December: nothing the night touches
 *   d1  j1 2026-01-10 10:00 s1                                    January
 *       j2 2026-02-28 23:50 s2, j3 2026-03-01 00:05 s2           a session across the month's end: February's
 *       j4 2026-03-15 09:00 (no session id)                       an inferred session, March
 *   d2  k1 2026-01-20 09:00 s3                                    anonymous, January
 * the night (delivered 03-17):
 *   j5 2026-03-01 00:10 d1, no session id, 5 minutes after j3     → continues s2 (February's), not a new session
 *   k2 2026-03-16 10:00 d2 s4, user c2                            → d2 identifies as c2: January's s3 is now c2's
 *
 * keys: j5 reaches the months within a day of it, February and March, for d1; k2 March for d2; d2's changed
 *   identity the months of its sessions in the table, January → {2026-01|d2, 2026-02|d1, 2026-03|d1, 2026-03|d2}
 * the events read: the partitions of December to April, and within them the times from 31 December (a day before
 *   January) to 2 April; December's file lies before that and is skipped by its statistics: January's 2 rows,
 *   February's 1 and March's 4 (the night's 2 among them) = 7, not December's 2
 * after the replace, the table = a whole rebuild: s2 in February with 3 events; s3 stitched to c2; d1's January
 *   session and d3's December one as they were
 * </pre>
 */
class SessionScopeTest {
    private static final String EVENTS = "silver.stg_web_traffic__events";
    private static final String IDENTITY = "silver.int_identity__stitched";
    private static final String CONTACTS = "silver.stg_crm__contacts";
    private static final String SESSIONS = "silver.int_sessions__sessionized";

    @Test
    void aNightRebuildsTheDevicesMonthsNearItsEventsAndThoseItsIdentityChangesReach() {
        SparkSession spark = SparkTestSession.get();
        DeltaTables tables = new DeltaTables(spark,
                SparkTestSession.testConfig(SparkTestSession.scratch("session-scope").resolve("warehouse")));
        RunContext ctx = new RunContext("session-scope", LocalDate.parse("2026-03-17"),
                LocalDate.parse("2026-03-17"), SparkTestSession.testConfig(SparkTestSession.scratch("session-cfg")));
        IntSessionsSessionized job = new IntSessionsSessionized();
        List<String> before = List.of(
                "x1 2025-12-05T10:00:00 d3 - s9", "x2 2025-12-05T10:10:00 d3 - s9",
                "j1 2026-01-10T10:00:00 d1 - s1", "j2 2026-02-28T23:50:00 d1 - s2", "j3 2026-03-01T00:05:00 d1 - s2",
                "j4 2026-03-15T09:00:00 d1 - -", "k1 2026-01-20T09:00:00 d2 - s3");
        List<String> night = List.of("j5 2026-03-01T00:10:00 d1 - -", "k2 2026-03-16T10:00:00 d2 c2 s4");
        Dataset<Row> contacts = new StgCrmContacts().build(Map.of("bronze.crm__contacts", spark.sql("""
                SELECT 'c2' AS contact_id, 'A1' AS account_id, 'c2@example.cn' AS email,
                       CAST(NULL AS STRING) AS lead_source, TIMESTAMP'2026-01-01 09:00:00' AS created_at,
                       TIMESTAMP'2026-01-01 09:00:00' AS updated_at, false AS is_deleted, 'r1' AS _run_id,
                       'crm/contacts.jsonl' AS _file, CAST(1 AS BIGINT) AS _line, DATE'2026-01-01' AS _dt
                """)), ctx).rows();
        tables.overwrite(CONTACTS, contacts, List.of());

        Dataset<Row> staged = staged(before, ctx);
        tables.overwrite(EVENTS, staged.repartition(col("event_month")), List.of("event_month"));
        tables.overwrite(IDENTITY, identity(staged, ctx), List.of());
        Map<String, Long> built = versions(tables);
        tables.overwrite(SESSIONS, job.build(inputs(tables, built), ctx).rows(), job.partitionBy());

        Dataset<Row> all = staged(concat(before, night), ctx);
        tables.replaceWhere(EVENTS, all.filter(col("event_month").equalTo("2026-03-01")).coalesce(1),
                "event_month = DATE'2026-03-01'");
        tables.overwrite(IDENTITY, identity(all, ctx), List.of());
        Map<String, Long> now = versions(tables);

        Scope scope = Scope.plan(job, ctx, tables, new JobState(built, LocalDate.parse("2026-03-16")), now,
                inputs(tables, now));
        assertEquals(Set.of("2026-01-01|d2", "2026-02-01|d1", "2026-03-01|d1", "2026-03-01|d2"), scope.keys());

        Map<String, ReadMetrics.Read> reads;
        try (ReadMetrics metrics = ReadMetrics.start(spark.sparkContext(), ctx.runId())) {
            ReadMetricsTest.inGroup(spark.sparkContext(), ctx.runId(), "events",
                    () -> scope.restrict(inputs(tables, now)).get(EVENTS).collectAsList());
            reads = metrics.reads();
        }
        assertEquals(2 + 1 + 4, reads.get("events").rows());

        Dataset<Row> rebuilt = scope.keep(job.build(scope.restrict(inputs(tables, now)), ctx).rows())
                .persist(StorageLevel.MEMORY_AND_DISK());
        Gates.check(job, rebuilt);
        tables.replaceKeys(SESSIONS, rebuilt, scope.key(), scope.keys(), job.partitionBy());
        rebuilt.unpersist();

        Map<String, String> sessions = summary(tables.read(SESSIONS));
        assertEquals(summary(job.build(inputs(tables, now), ctx).rows()), sessions);
        assertEquals("2026-02-01 d1 3 events contact null", sessions.get("s2"));
        assertEquals("2026-01-01 d2 1 events contact c2", sessions.get("s3"));
        assertEquals(Set.of("s1", "s2", "s3", "s4", "s9", "gen_d1_20260315090000"), sessions.keySet());
    }

    /** The staged events of rows "id local-time device user session" ({@code -} for null), in +08:00. */
    static Dataset<Row> staged(List<String> rows, RunContext ctx) {
        Dataset<Row> bronze = SparkTestSession.get().createDataset(rows, org.apache.spark.sql.Encoders.STRING())
                .selectExpr("split(value, ' ') AS f").selectExpr(
                        "f[0] AS event_id", "CAST(concat(f[1], '+08:00') AS TIMESTAMP) AS event_time",
                        "f[2] AS anonymous_id", "nullif(f[3], '-') AS user_id", "nullif(f[4], '-') AS session_id",
                        "'page_view' AS event_type", "'https://www.lumencloud.cn/' AS page_url",
                        "CAST(NULL AS STRING) AS referrer", "CAST(NULL AS STRING) AS utm_source",
                        "CAST(NULL AS STRING) AS utm_medium", "CAST(NULL AS STRING) AS utm_campaign",
                        "CAST(NULL AS STRING) AS utm_content", "CAST(NULL AS STRING) AS utm_term",
                        "'ua' AS user_agent", "'r1' AS _run_id", "'w/events.jsonl' AS _file",
                        "CAST(1 AS BIGINT) AS _line", "CAST(substr(f[1], 1, 10) AS DATE) AS _dt");
        return new StgWebTrafficEvents().build(Map.of("bronze.web_traffic", bronze), ctx).rows();
    }

    private static Dataset<Row> identity(Dataset<Row> staged, RunContext ctx) {
        return new IntIdentityStitched().build(Map.of(EVENTS, staged), ctx).rows();
    }

    private static Map<String, Long> versions(DeltaTables tables) {
        Map<String, Long> v = new HashMap<>();
        for (String t : List.of(EVENTS, IDENTITY, CONTACTS)) {
            v.put(t, tables.latestVersion(t));
        }
        return v;
    }

    private static Map<String, Dataset<Row>> inputs(DeltaTables tables, Map<String, Long> versions) {
        Map<String, Dataset<Row>> in = new HashMap<>();
        versions.forEach((t, v) -> in.put(t, tables.readAt(t, v)));
        return in;
    }

    /** session_id → "month device N events contact C". */
    private static Map<String, String> summary(Dataset<Row> sessions) {
        return sessions.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("session_id"),
                r -> r.getAs("session_month") + " " + r.getAs("anonymous_id") + " " + r.getAs("event_count")
                        + " events contact " + r.getAs("contact_id")));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
