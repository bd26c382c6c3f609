package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.gold.FctTouches;
import com.tobwh.io.DeltaTables;
import com.tobwh.silver.IntTouchesCombined;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An account's journey on a night: a new last touch changes no earlier touch, so the touch fact rebuilds that one
 * touch; the rebuild reads the sessions from the earliest changed touch on; and a touch table built by a release
 * with other columns is rebuilt whole.
 *
 * <pre>
 * account A1, contact c1 (created 2026-01-02 09:00 by sales, lead_source "trade_show" → events):
 *   offline:c1 2026-01-02 09:00   touch 1, first
 *   web:s1     2026-02-10 10:00   touch 2, 39 days since the first
 *   web:s2     2026-03-05 10:00   touch 3, 62 days
 * the night adds web:s3 2026-03-16 10:00 → touch 4, 73 days; touches 1 to 3 keep every column
 *   → the rebuild resumes from 2026-03-16 10:00: it reads s3 alone of the sessions (and no contact), and takes
 *     touches 1 to 3 from the table; it writes web:s3 alone, adding one file: the files of January, February and
 *     March (s2) are kept, not read to compare nor rewritten
 *   → int_touches__combined's netted change feed: web:s3 (touch 4) alone
 *   → fct_touches' keys: {2026-03-01|web:s3}, not the account's four touches in three months
 * a late session web:s1b 2026-02-20 10:00 instead → resumes from it: reads s1b and s2, takes offline:c1 and web:s1
 *   from the table; s1b is touch 3 (49 days), s2 becomes touch 4, and those two are written: January's and
 *   February's files are kept, March's (s2) rewritten; the table equals a whole rebuild
 * a new contact c2 of A1 without a lead source → no touch, no account reached: skipped
 * the same night on a table that still has the dropped journey-length column account_touches → rebuilt whole
 * </pre>
 */
class TouchScopeTest {
    private static final String SESSIONS = "silver.int_sessions__sessionized";
    private static final String CONTACTS = "silver.stg_crm__contacts";
    private static final String TOUCHES = "silver.int_touches__combined";
    private static final LocalDate LAST = LocalDate.parse("2026-03-15");

    private final IntTouchesCombined job = new IntTouchesCombined();
    private DeltaTables tables;
    private RunContext ctx;
    private long sessionsBefore;
    private long contactsVersion;

    @BeforeEach
    void lastNight() {
        SparkSession spark = SparkTestSession.get();
        tables = new DeltaTables(spark,
                SparkTestSession.testConfig(SparkTestSession.scratch("touch-scope").resolve("warehouse")));
        ctx = new RunContext("touch-scope", LocalDate.parse("2026-03-16"), LocalDate.parse("2026-03-16"),
                SparkTestSession.testConfig(SparkTestSession.scratch("touch-scope-cfg")));
        contactsVersion = tables.overwrite(CONTACTS, spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory
                        .create("c1", "A1", "trade_show", Timestamp.valueOf("2026-01-02 09:00:00"))),
                new org.apache.spark.sql.types.StructType().add("contact_id", "string").add("account_id", "string")
                        .add("lead_source", "string").add("created_at", "timestamp")), List.of());
        sessionsBefore = tables.overwrite(SESSIONS, sessions("s1 2026-02-10", "s2 2026-03-05"), List.of());
    }

    @Test
    void aNewLastTouchChangesNoEarlierTouchSoTheFactRebuildsOnlyIt() {
        long touchesBefore = tables.overwrite(TOUCHES, build(sessionsBefore).orderBy("touch_id"),
                job.partitionBy());
        // The fact as last night left it; only its columns and keys matter to the plan.
        Dataset<Row> last = tables.read(TOUCHES);
        tables.overwrite("gold.fct_touches", last.select(TableSchemas.columns("gold.fct_touches").stream()
                .map(c -> List.of(last.columns()).contains(c) ? col(c) : lit(-1L).as(c))
                .toArray(org.apache.spark.sql.Column[]::new)), job.partitionBy());
        long sessionsNow = tables.overwrite(SESSIONS, sessions("s1 2026-02-10", "s2 2026-03-05", "s3 2026-03-16"),
                List.of());

        Scope scope = Scope.plan(job, ctx, tables, new JobState(Map.of(SESSIONS, sessionsBefore,
                CONTACTS, contactsVersion), LAST), Map.of(SESSIONS, sessionsNow, CONTACTS, contactsVersion), inputs(
                sessionsNow));
        assertEquals(Set.of("A1"), scope.keys());
        assertTrue(scope.reason().endsWith("resumed from 2026-03-16T02:00:00Z"), scope.reason());
        Map<String, Dataset<Row>> read = scope.restrict(inputs(sessionsNow));
        assertEquals(List.of("s3"), ids(read.get(SESSIONS), "session_id"));
        assertEquals(List.of(), ids(read.get(CONTACTS), "contact_id"));
        Set<String> rebuiltFrom = Set.of("offline:c1 1 0 events", "web:s1 2 39 paid_search",
                "web:s2 3 62 paid_search", "web:s3 4 73 paid_search");
        assertEquals(rebuiltFrom, journey(job.build(read, ctx).rows()));
        Dataset<Row> rebuilt = scope.keep(job.build(read, ctx).rows());
        assertEquals(Set.of("web:s3 4 73 paid_search"), journey(rebuilt));
        Set<String> filesBefore = files();
        long touchesNow = tables.replaceKeys(TOUCHES, rebuilt, scope.key(), scope.keys(), job.partitionBy(),
                scope.since());
        Set<String> filesNow = files();
        assertTrue(filesNow.containsAll(filesBefore), filesNow + " keeps " + filesBefore);
        assertEquals(filesBefore.size() + 1, filesNow.size());

        Dataset<Row> changed = tables.changes(TOUCHES, touchesBefore, touchesNow).orElseThrow();
        assertEquals(List.of("web:s3 4"), changed.collectAsList().stream()
                .map(r -> r.getAs("touch_id") + " " + r.getAs("account_touch_number")).toList());
        Scope fact = Scope.plan(new FctTouches(), ctx, tables, new JobState(Map.of(TOUCHES, touchesBefore), LAST),
                Map.of(TOUCHES, touchesNow), Map.of(TOUCHES, tables.readAt(TOUCHES, touchesNow)));
        assertEquals(Set.of("2026-03-01|web:s3"), fact.keys(), fact.reason());
    }

    @Test
    void aLateTouchRenumbersTheTouchesAfterItFromTheTablesEarlierOnes() {
        tables.overwrite(TOUCHES, build(sessionsBefore), job.partitionBy());
        long sessionsNow = tables.overwrite(SESSIONS, sessions("s1 2026-02-10", "s1b 2026-02-20", "s2 2026-03-05"),
                List.of());

        Scope scope = Scope.plan(job, ctx, tables, new JobState(Map.of(SESSIONS, sessionsBefore,
                CONTACTS, contactsVersion), LAST), Map.of(SESSIONS, sessionsNow, CONTACTS, contactsVersion), inputs(
                sessionsNow));
        assertTrue(scope.reason().endsWith("resumed from 2026-02-20T02:00:00Z"), scope.reason());
        Map<String, Dataset<Row>> read = scope.restrict(inputs(sessionsNow));
        assertEquals(List.of("s1b", "s2"), ids(read.get(SESSIONS), "session_id"));
        assertEquals(List.of("offline:c1", "web:s1"), ids(read.get(TOUCHES), "touch_id"));
        Dataset<Row> rebuilt = scope.keep(job.build(read, ctx).rows());
        assertEquals(Set.of("web:s1b 3 49 paid_search", "web:s2 4 62 paid_search"), journey(rebuilt));
        Set<String> januaryAndFebruary = files(col("touch_month").lt(lit(java.sql.Date.valueOf("2026-03-01"))));
        Set<String> march = files(col("touch_month").equalTo(lit(java.sql.Date.valueOf("2026-03-01"))));
        tables.replaceKeys(TOUCHES, rebuilt, scope.key(), scope.keys(), job.partitionBy(), scope.since());
        assertEquals(lines(build(sessionsNow)), lines(tables.read(TOUCHES)));
        assertTrue(files().containsAll(januaryAndFebruary), "the earlier months' files are kept");
        assertTrue(java.util.Collections.disjoint(files(), march), "March's file is rewritten");
    }

    @Test
    void aNewContactWithoutALeadSourceIsNoTouchAndReachesNoAccount() {
        tables.overwrite(TOUCHES, build(sessionsBefore), job.partitionBy());
        long contactsNow = tables.overwrite(CONTACTS, SparkTestSession.get().sql("""
                SELECT * FROM VALUES ('c1', 'A1', 'trade_show', TIMESTAMP'2026-01-02 09:00:00'),
                                     ('c2', 'A1', NULL, TIMESTAMP'2026-03-16 11:00:00')
                AS t(contact_id, account_id, lead_source, created_at)"""), List.of());

        Scope scope = Scope.plan(job, ctx, tables, new JobState(Map.of(SESSIONS, sessionsBefore,
                CONTACTS, contactsVersion), LAST), Map.of(SESSIONS, sessionsBefore, CONTACTS, contactsNow),
                Map.of(SESSIONS, tables.readAt(SESSIONS, sessionsBefore), CONTACTS,
                        tables.readAt(CONTACTS, contactsNow)));
        assertEquals("skipped", scope.mode(), scope.reason());
    }

    @Test
    void aTableWithAnEarlierReleasesColumnsIsRebuiltWhole() {
        tables.overwrite(TOUCHES, build(sessionsBefore).withColumn("account_touches", lit(3)), job.partitionBy());
        long sessionsNow = tables.overwrite(SESSIONS, sessions("s1 2026-02-10", "s2 2026-03-05", "s3 2026-03-16"),
                List.of());

        Scope scope = Scope.plan(job, ctx, tables, new JobState(Map.of(SESSIONS, sessionsBefore,
                CONTACTS, contactsVersion), LAST), Map.of(SESSIONS, sessionsNow, CONTACTS, contactsVersion), inputs(
                sessionsNow));
        assertEquals("full", scope.mode());
        assertTrue(scope.reason().contains("account_touches") && scope.reason().contains("earlier release"),
                scope.reason());
    }

    private Dataset<Row> build(long sessionsVersion) {
        return job.build(inputs(sessionsVersion), ctx).rows();
    }

    private Map<String, Dataset<Row>> inputs(long sessionsVersion) {
        return Map.of(SESSIONS, tables.readAt(SESSIONS, sessionsVersion),
                CONTACTS, tables.readAt(CONTACTS, contactsVersion));
    }

    /** The data files the touch table's current version reads. */
    private Set<String> files() {
        return files(lit(true));
    }

    /** The data files holding the touch table's rows that {@code where} takes (a partition filter: pruned). */
    private Set<String> files(org.apache.spark.sql.Column where) {
        return Set.of(tables.read(TOUCHES).filter(where).inputFiles());
    }

    private static List<String> ids(Dataset<Row> rows, String column) {
        return rows.select(column).orderBy(column).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }

    /** Every column of every row. */
    private static Set<String> lines(Dataset<Row> rows) {
        return rows.select(TableSchemas.columns(TOUCHES).stream().map(c -> col(c))
                .toArray(org.apache.spark.sql.Column[]::new)).collectAsList().stream().map(Row::toString)
                .collect(Collectors.toSet());
    }

    /** "touch_id number days_since_first channel" of each rebuilt touch. */
    private static Set<String> journey(Dataset<Row> touches) {
        return touches.collectAsList().stream().map(r -> r.getAs("touch_id") + " " + r.getAs("account_touch_number")
                + " " + r.getAs("days_since_first_account_touch") + " " + r.getAs("channel"))
                .collect(Collectors.toSet());
    }

    /** Sessions "id date" of contact c1 (account A1) at 10:00 in the tests' zone (+08:00), from paid search k1. */
    private Dataset<Row> sessions(String... lines) {
        return SparkTestSession.get().createDataFrame(java.util.Arrays.stream(lines).map(l -> {
            String[] f = l.split(" ");
            return org.apache.spark.sql.RowFactory.create(f[0], "A1", "c1", Timestamp.valueOf(f[1] + " 10:00:00"),
                    java.sql.Date.valueOf(f[1].substring(0, 8) + "01"), "paid_search", "k1");
        }).toList(), new org.apache.spark.sql.types.StructType().add("session_id", "string")
                .add("account_id", "string").add("contact_id", "string").add("session_start", "timestamp")
                .add("session_month", "date").add("channel", "string").add("utm_campaign", "string"));
    }
}
