package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.gold.DimContact;
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
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A night of the contact dimension: the first touch is a fold over the contact's touches, so the rebuild reads the
 * touches from the earliest changed one on and keeps the table's earlier first touches.
 *
 * <pre>
 * contacts: c1 (A1, a@x.com) · c2 (A1, b@y.com)        account A1: key 11, current
 * touches:  offline:c1 2026-01-02 09:00 events · web:s1 2026-02-10 10:00 paid_search (c1)
 *           web:s2 2026-03-05 10:00 paid_search (c2)
 * last night: c1 first touch 01-02 events; c2 first touch 03-05 paid_search
 *
 * a) a new touch web:s3 2026-03-16 10:00 (c1): keys {c1}, resumed from 03-16 10:00; reads s3 alone of the
 *    touches; c1 keeps its first touch 01-02 events (from the table)
 * b) a late touch web:s2b 2026-03-01 10:00 organic (c2): keys {c2}, resumed from 03-01; reads s2b and s2 (not
 *    carried: c2's first touch, 03-05, is not before it); c2's first touch becomes 03-01 organic
 * c) c2's new e-mail and nothing else: keys {c2}, resumed from the table's rows, reads no touch; c2 keeps 03-05
 * each night's table equals a whole rebuild
 * </pre>
 */
class ContactScopeTest {
    private static final String CONTACTS = "silver.stg_crm__contacts";
    private static final String TOUCHES = "silver.int_touches__combined";
    private static final String ACCOUNTS = "gold.dim_account";
    private static final LocalDate LAST = LocalDate.parse("2026-03-15");
    private static final String[] TOUCHES_BEFORE = {"offline:c1 c1 2026-01-02T09:00 events",
            "web:s1 c1 2026-02-10T10:00 paid_search", "web:s2 c2 2026-03-05T10:00 paid_search"};

    private final DimContact job = new DimContact();
    private DeltaTables tables;
    private JobNights nights;

    @BeforeEach
    void lastNight() {
        nights = JobNights.scratch("contact-scope", job, LAST);
        tables = nights.tables();
        nights.lastNight(Map.of(CONTACTS, tables.overwrite(CONTACTS, contacts("b@y.com"), List.of()),
                TOUCHES, tables.overwrite(TOUCHES, touches(TOUCHES_BEFORE), List.of("touch_month")),
                ACCOUNTS, tables.overwrite(ACCOUNTS, SparkTestSession.get().sql(
                        "SELECT 11L AS account_key, 'A1' AS account_id, true AS is_current"), List.of())));
    }

    @Test
    void aNewTouchReadsOnlyItAndKeepsTheFirstTouchTheTableHolds() {
        Map<String, Long> now = night(touches(with("web:s3 c1 2026-03-16T10:00 paid_search")), null);
        Scope scope = nights.plan(now);
        assertEquals(Set.of("c1"), scope.keys());
        assertTrue(scope.reason().endsWith("resumed from 2026-03-16T02:00:00Z"), scope.reason());
        assertEquals(List.of("web:s3"), touchIds(scope.restrict(nights.inputs(now)).get(TOUCHES)));
        assertEquals(Set.of("c1 2026-01-02 09:00:00.0 events"), firstTouches(nights.replace(scope, now)));
        assertEquals(firstTouches(nights.rebuiltWhole(now)), firstTouches(tables.read(job.output())));
    }

    @Test
    void aLateTouchBeforeTheFirstBecomesTheFirst() {
        Map<String, Long> now = night(touches(with("web:s2b c2 2026-03-01T10:00 organic")), null);
        Scope scope = nights.plan(now);
        assertEquals(Set.of("c2"), scope.keys());
        assertTrue(scope.reason().endsWith("resumed from 2026-03-01T02:00:00Z"), scope.reason());
        assertEquals(List.of("web:s2", "web:s2b"), touchIds(scope.restrict(nights.inputs(now)).get(TOUCHES)));
        assertEquals(Set.of("c2 2026-03-01 10:00:00.0 organic"), firstTouches(nights.replace(scope, now)));
        assertEquals(firstTouches(nights.rebuiltWhole(now)), firstTouches(tables.read(job.output())));
    }

    @Test
    void aContactsOwnChangeReadsNoTouch() {
        Map<String, Long> now = night(null, contacts("b@z.com"));
        Scope scope = nights.plan(now);
        assertEquals(Set.of("c2"), scope.keys());
        assertTrue(scope.reason().endsWith("resumed from the table's rows (no folded input changed)"),
                scope.reason());
        assertEquals(List.of(), touchIds(scope.restrict(nights.inputs(now)).get(TOUCHES)));
        Dataset<Row> rebuilt = nights.replace(scope, now);
        assertEquals(Set.of("c2 2026-03-05 10:00:00.0 paid_search"), firstTouches(rebuilt));
        assertEquals(List.of("z.com"), rebuilt.select("email_domain").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList());
        assertEquals(firstTouches(nights.rebuiltWhole(now)), firstTouches(tables.read(job.output())));
    }

    /** Writes the night's touches and contacts (null: unchanged); the inputs' versions. */
    private Map<String, Long> night(Dataset<Row> touches, Dataset<Row> contacts) {
        return Map.of(CONTACTS, contacts == null ? nights.before(CONTACTS) : tables.overwrite(CONTACTS, contacts,
                        List.of()),
                TOUCHES, touches == null ? nights.before(TOUCHES) : tables.overwrite(TOUCHES, touches,
                        List.of("touch_month")),
                ACCOUNTS, nights.before(ACCOUNTS));
    }

    private static String[] with(String touch) {
        String[] all = java.util.Arrays.copyOf(TOUCHES_BEFORE, TOUCHES_BEFORE.length + 1);
        all[TOUCHES_BEFORE.length] = touch;
        return all;
    }

    /** "contact first_touch_at first_touch_channel" of each contact row (not the unknown member). */
    private static Set<String> firstTouches(Dataset<Row> contacts) {
        return contacts.filter(col("contact_id").isNotNull()).collectAsList().stream()
                .map(r -> r.getAs("contact_id") + " " + r.getAs("first_touch_at") + " "
                        + r.getAs("first_touch_channel")).collect(Collectors.toSet());
    }

    private static List<String> touchIds(Dataset<Row> touches) {
        return touches.select("touch_id").orderBy("touch_id").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList();
    }

    /** Contacts c1 and c2 of account A1; c2's e-mail as given. */
    private static Dataset<Row> contacts(String c2Email) {
        return SparkTestSession.get().sql("SELECT * FROM VALUES "
                + "('c1', 'A1', 'a@x.com', 'trade_show', TIMESTAMP'2026-01-02 09:00:00'), "
                + "('c2', 'A1', '" + c2Email + "', CAST(NULL AS STRING), TIMESTAMP'2026-03-05 10:00:00') "
                + "AS t(contact_id, account_id, email, lead_source, created_at)");
    }

    /** Touches "id contact time channel", at the tests' zone's local time. */
    private static Dataset<Row> touches(String... lines) {
        SparkSession spark = SparkTestSession.get();
        return spark.createDataset(List.of(lines), org.apache.spark.sql.Encoders.STRING()).toDF().selectExpr(
                "split(value, ' ')[0] AS touch_id", "split(value, ' ')[1] AS contact_id",
                "CAST(replace(split(value, ' ')[2], 'T', ' ') AS TIMESTAMP) AS touch_time",
                "split(value, ' ')[3] AS channel")
                .withColumn("touch_month", org.apache.spark.sql.functions.trunc(col("touch_time"), "MM"));
    }
}
