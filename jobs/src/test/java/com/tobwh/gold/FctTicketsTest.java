package com.tobwh.gold;

import com.tobwh.SparkTestSession;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.pipeline.Gates;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tickets fact on hand-made tickets, every figure worked out by hand below. All times are +08:00, the
 * reporting (and test session) time zone. As of 2026-03-10, so open clocks run to 2026-03-11 00:00.
 * SLAs (default config), first response / resolution hours: urgent 1/8, high 4/24, normal 8/72, low 24/168.
 *
 * <pre>
 * dim_account (SCD2): acme v1 key 11 [2026-01-01, 2026-03-05), acme v2 key 12 [2026-03-05, open),
 *                     beta key 21 [2026-03-01, open), unknown -1 (no account_id); ghost is not in the CRM.
 * date keys are computed (yyyymmdd), -1 outside dim_date's 2000–2050 calendar.
 *
 * id   account created     prio    response       resolution         status   key date_key  breaches
 * t1   acme    03-01 07:00 high    08:30 → 1.5h   03-02 01:00 → 18h  solved   11  20260301  none
 *      (07:00+08:00 is still 02-28 in UTC: the date is the reporting zone's)
 * t2   acme    03-06 10:00 urgent  12:15 → 2.25h  17:00 → 7h         closed   12  20260306  response (2.25 > 1)
 * t3   beta    03-10 20:00 normal  none           none               open     21  20260310  none: open 4h < 8
 * t4   beta    03-09 09:00 low     none           none               open     21  20260309  response: open 39h > 24
 *      (its deadline 03-10 09:00 falls inside the as-of day; resolution 39 < 168)
 * t5   ghost   03-04 08:00 normal  16:00 → 8h     none               pending  -1  20260304  resolution: 160h > 72
 *      (a response exactly at the SLA is on time)
 * t6   acme    12-20 10:00 normal  11:00 → 1h     12-23 10:00 → 72h  closed   11  20251220  none (72 = SLA)
 *      (2025, before acme's first version: its earliest version, 11)
 * t7   beta    1999-12-31 23:30 high none        01-01 01:30 → 2h   solved   21  -1        none
 *      (1999: earliest version; date before the calendar; solving at 2h stops the response clock, 2 ≤ 4)
 * t8   beta    03-01 10:00 urgent  none           none               closed   21  20260301  none: resolved
 *      (closed without timestamps: stopped at an unknown time, never judged late)
 * t9   acme    03-07 09:00 normal  09:45 → 0.75h  03-10 21:00 → 84h  solved   12  20260307  resolution (84 > 72)
 * t10  acme    03-05 00:00 high    01:00 → 1h     none               pending  12  20260305  resolution: 144h > 24
 *      (created exactly at acme v1's valid_to: v2)
 * t11  beta    03-02 09:00 normal  10:00 → 1h     03-03 09:00 → 24h  open     21  20260302  none
 *      (reopened but keeps resolved_at: is_resolved)
 * </pre>
 */
class FctTicketsTest {
    private static final double EPS = 1e-9;
    private static Dataset<Row> stg;
    private static Dataset<Row> dimAccount;
    private static Dataset<Row> fct;
    private static List<Row> rows;

    @BeforeAll
    static void build() {
        SparkSession spark = SparkTestSession.get();
        stg = spark.sql("""
                SELECT ticket_id, account_id, contact_id, CAST(created_at AS TIMESTAMP) AS created_at,
                       CAST(first_response_at AS TIMESTAMP) AS first_response_at,
                       CAST(resolved_at AS TIMESTAMP) AS resolved_at, priority, channel, category, status,
                       CAST(csat AS BIGINT) AS csat, CAST(created_at AS TIMESTAMP) AS updated_at,
                       'f.jsonl' AS _file, CAST(1 AS BIGINT) AS _line
                FROM VALUES
                  ('t1', 'acme', 'c1', '2026-03-01T07:00:00+08:00', '2026-03-01T08:30:00+08:00',
                   '2026-03-02T01:00:00+08:00', 'high', 'email', 'bug', 'solved', 5),
                  ('t2', 'acme', 'c1', '2026-03-06T10:00:00+08:00', '2026-03-06T12:15:00+08:00',
                   '2026-03-06T17:00:00+08:00', 'urgent', 'phone', 'bug', 'closed', NULL),
                  ('t3', 'beta', 'c2', '2026-03-10T20:00:00+08:00', NULL, NULL,
                   'normal', 'web', 'how_to', 'open', NULL),
                  ('t4', 'beta', 'c2', '2026-03-09T09:00:00+08:00', NULL, NULL, 'low', 'web', 'how_to', 'open', NULL),
                  ('t5', 'ghost', NULL, '2026-03-04T08:00:00+08:00', '2026-03-04T16:00:00+08:00', NULL,
                   'normal', 'chat', 'billing', 'pending', NULL),
                  ('t6', 'acme', 'c1', '2025-12-20T10:00:00+08:00', '2025-12-20T11:00:00+08:00',
                   '2025-12-23T10:00:00+08:00', 'normal', 'email', 'integration', 'closed', 3),
                  ('t7', 'beta', 'c2', '1999-12-31T23:30:00+08:00', NULL, '2000-01-01T01:30:00+08:00',
                   'high', 'chat', 'account_access', 'solved', NULL),
                  ('t8', 'beta', 'c2', '2026-03-01T10:00:00+08:00', NULL, NULL,
                   'urgent', 'phone', NULL, 'closed', 1),
                  ('t9', 'acme', 'c1', '2026-03-07T09:00:00+08:00', '2026-03-07T09:45:00+08:00',
                   '2026-03-10T21:00:00+08:00', 'normal', 'email', 'performance', 'solved', 2),
                  ('t10', 'acme', 'c1', '2026-03-05T00:00:00+08:00', '2026-03-05T01:00:00+08:00', NULL,
                   'high', 'web', 'data_import', 'pending', NULL),
                  ('t11', 'beta', 'c2', '2026-03-02T09:00:00+08:00', '2026-03-02T10:00:00+08:00',
                   '2026-03-03T09:00:00+08:00', 'normal', 'email', 'bug', 'open', NULL)
                  AS t(ticket_id, account_id, contact_id, created_at, first_response_at, resolved_at, priority,
                       channel, category, status, csat)
                """);
        dimAccount = spark.sql("""
                SELECT CAST(account_key AS BIGINT) AS account_key, account_id, version, name,
                       CAST(valid_from AS TIMESTAMP) AS valid_from, CAST(valid_to AS TIMESTAMP) AS valid_to,
                       is_current
                FROM VALUES
                  (11, 'acme', 1, 'Acme (SMB)', '2026-01-01T00:00:00+08:00', '2026-03-05T00:00:00+08:00', false),
                  (12, 'acme', 2, 'Acme (Mid)', '2026-03-05T00:00:00+08:00', NULL, true),
                  (21, 'beta', 1, 'Beta', '2026-03-01T00:00:00+08:00', NULL, true),
                  (-1, NULL, 0, 'unknown', NULL, NULL, true)
                  AS t(account_key, account_id, version, name, valid_from, valid_to, is_current)
                """);
        fct = build(SparkTestSession.testConfig(Path.of("unused")), stg, dimAccount);
        rows = fct.collectAsList();
    }

    private static Dataset<Row> build(WarehouseConfig cfg, Dataset<Row> tickets, Dataset<Row> accounts) {
        return build(cfg, tickets, accounts, LocalDate.parse("2026-03-10"));
    }

    private static Dataset<Row> build(WarehouseConfig cfg, Dataset<Row> tickets, Dataset<Row> accounts,
                                      LocalDate asOf) {
        RunContext ctx = new RunContext("test", asOf, asOf, cfg);
        return new FctTickets().build(Map.of("silver.stg_support_tickets", tickets, "gold.dim_account", accounts),
                ctx).rows();
    }

    private static Row ticket(String id) {
        return rows.stream().filter(r -> r.getAs("ticket_id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no ticket " + id + " in " + rows));
    }

    private static void assertHours(Double expected, Row r, String column) {
        if (expected == null) {
            assertNull(r.getAs(column), r.getAs("ticket_id") + " " + column);
        } else {
            assertEquals(expected, r.<Double>getAs(column), EPS, r.getAs("ticket_id") + " " + column);
        }
    }

    private static void assertBreaches(String id, boolean response, boolean resolution) {
        Row r = ticket(id);
        assertEquals(response, r.<Boolean>getAs("first_response_sla_breached"), id + " first response");
        assertEquals(resolution, r.<Boolean>getAs("resolution_sla_breached"), id + " resolution");
        assertEquals(response || resolution, r.<Boolean>getAs("sla_breached"), id + " any");
    }

    @Test
    void oneRowPerTicketInTheDocumentedShapeThatPassesTheGates() {
        assertEquals(11, rows.size());
        Gates.check(new FctTickets(), fct);
    }

    /**
     * What a nightly run rebuilds as the run date moves on. As of 03-10 two tickets still have a clock below its SLA:
     * t3 (open 4 h, neither SLA breached) and t4 (response breached, resolution 39 h of 168). t5 and t10 are
     * unresolved too, but a reply stopped their response clocks and their resolution SLAs are already breached; the
     * rest are resolved. As of 03-20 (clocks to 03-21 00:00) exactly those two rows differ: t3 is open 244 h
     * (&gt; 8 and &gt; 72), t4 279 h (&gt; 168).
     */
    @Test
    void onlyUnresolvedTicketsWithAClockStillBelowItsSlaMoveWithTheRunDate() {
        assertEquals(Set.of("t3", "t4"), ids(fct.filter(FctTickets.MOVING_WITH_RUN_DATE)));
        Dataset<Row> later = build(SparkTestSession.testConfig(Path.of("unused")), stg, dimAccount,
                LocalDate.parse("2026-03-20"));
        assertEquals(Set.of("t3", "t4"), ids(later.exceptAll(fct)));
        assertEquals(Set.of("t3", "t4"), ids(fct.exceptAll(later)));
    }

    private static Set<String> ids(Dataset<Row> tickets) {
        return Set.copyOf(tickets.select("ticket_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    }

    @Test
    void accountVersionValidWhenTheTicketWasOpened() {
        Map<String, Long> expected = Map.of("t1", 11L, "t2", 12L, "t9", 12L, "t10", 12L, "t3", 21L, "t8", 21L);
        expected.forEach((id, key) -> assertEquals(key, ticket(id).<Long>getAs("account_key"), id));
    }

    @Test
    void ticketBeforeTheAccountsFirstVersionTakesTheEarliestVersion() {
        assertEquals(11L, ticket("t6").<Long>getAs("account_key"));
        assertEquals(21L, ticket("t7").<Long>getAs("account_key"));
    }

    @Test
    void accountNotInTheCrmIsTheUnknownMember() {
        assertEquals(DimAccount.UNKNOWN, ticket("t5").<Long>getAs("account_key"));
        assertEquals("ghost", ticket("t5").getAs("account_id"));
    }

    @Test
    void datesAreTheReportingZonesAndMissingDatesAreUnknown() {
        Row t1 = ticket("t1");
        assertEquals(20260301, t1.<Integer>getAs("created_date_key"));
        assertEquals(Date.valueOf("2026-03-01"), t1.getAs("created_date"));
        assertEquals(Date.valueOf("2026-03-01"), t1.getAs("created_month"));
        Row t6 = ticket("t6");
        assertEquals(20251220, t6.<Integer>getAs("created_date_key"));
        assertEquals(Date.valueOf("2025-12-01"), t6.getAs("created_month"));
        Row t7 = ticket("t7");
        assertEquals(DimDate.UNKNOWN, t7.<Integer>getAs("created_date_key"));
        assertEquals(Date.valueOf("1999-12-31"), t7.getAs("created_date"));
        assertEquals(Date.valueOf("1999-12-01"), t7.getAs("created_month"));
    }

    @Test
    void responseAndResolutionHours() {
        Object[][] expected = {
            {"t1", 1.5, 18.0}, {"t2", 2.25, 7.0}, {"t3", null, null}, {"t4", null, null}, {"t5", 8.0, null},
            {"t6", 1.0, 72.0}, {"t7", null, 2.0}, {"t8", null, null}, {"t9", 0.75, 84.0}, {"t10", 1.0, null},
            {"t11", 1.0, 24.0}};
        for (Object[] e : expected) {
            Row r = ticket((String) e[0]);
            assertHours((Double) e[1], r, "first_response_hours");
            assertHours((Double) e[2], r, "resolution_hours");
        }
    }

    @Test
    void resolvedBySolvedOrClosedStatusOrAResolutionTime() {
        for (String id : List.of("t1", "t2", "t6", "t7", "t8", "t9", "t11")) {
            assertTrue(ticket(id).<Boolean>getAs("is_resolved"), id);
        }
        for (String id : List.of("t3", "t4", "t5", "t10")) {
            assertEquals(false, ticket(id).<Boolean>getAs("is_resolved"), id);
        }
    }

    @Test
    void slaHoursComeFromTheConfigByPriority() {
        assertEquals(4.0, ticket("t1").<Double>getAs("first_response_sla_hours"), EPS);
        assertEquals(24.0, ticket("t1").<Double>getAs("resolution_sla_hours"), EPS);
        assertEquals(1.0, ticket("t2").<Double>getAs("first_response_sla_hours"), EPS);
        assertEquals(8.0, ticket("t2").<Double>getAs("resolution_sla_hours"), EPS);
        assertEquals(24.0, ticket("t4").<Double>getAs("first_response_sla_hours"), EPS);
        assertEquals(168.0, ticket("t4").<Double>getAs("resolution_sla_hours"), EPS);
        assertEquals(8.0, ticket("t5").<Double>getAs("first_response_sla_hours"), EPS);
        assertEquals(72.0, ticket("t5").<Double>getAs("resolution_sla_hours"), EPS);
    }

    @Test
    void lateResponse() {
        assertBreaches("t2", true, false);
    }

    @Test
    void noResponseAndTheDeadlinePassedBeforeTheAsOfInstant() {
        assertBreaches("t4", true, false);
    }

    @Test
    void noResponseButTheDeadlineIsAfterTheAsOfInstant() {
        assertBreaches("t3", false, false);
    }

    @Test
    void onTimeIncludingExactlyAtTheSla() {
        assertBreaches("t1", false, false);
        assertBreaches("t6", false, false);
        assertBreaches("t11", false, false);
    }

    @Test
    void lateOrOverdueResolution() {
        assertBreaches("t9", false, true);
        assertBreaches("t5", false, true);
        assertBreaches("t10", false, true);
    }

    @Test
    void solvingWithoutAReplyStopsTheResponseClock() {
        assertBreaches("t7", false, false);
        assertBreaches("t8", false, false);
    }

    @Test
    void csatPassesThroughIncludingNull() {
        assertEquals(5L, ticket("t1").<Long>getAs("csat"));
        assertNull(ticket("t2").getAs("csat"));
        assertNull(ticket("t5").getAs("contact_id"));
    }

    @Test
    void aStricterConfiguredSlaIsHonoured() {
        // t5 answered after exactly 8h: on time at the default 8h, late when normal tickets must be answered in 4h.
        WarehouseConfig cfg = SparkTestSession.testConfig(Path.of("unused"));
        cfg.slaFirstResponseHours.put("normal", 4.0);
        Row t5 = build(cfg, stg, dimAccount).filter(col("ticket_id").equalTo("t5")).first();
        assertEquals(4.0, t5.<Double>getAs("first_response_sla_hours"), EPS);
        assertTrue(t5.<Boolean>getAs("first_response_sla_breached"));
    }

    @Test
    void aResponseBeforeCreationThatSlipsPastStagingFailsTheGate() {
        Dataset<Row> bad = stg.filter(col("ticket_id").equalTo("t1"))
                .withColumn("first_response_at", expr("created_at - INTERVAL 1 HOUR"));
        Dataset<Row> out = build(SparkTestSession.testConfig(Path.of("unused")), bad, dimAccount);
        Gates.GateFailure e = assertThrows(Gates.GateFailure.class, () -> Gates.check(new FctTickets(), out));
        assertTrue(e.getMessage().contains("first_response_hours is never negative"), e.getMessage());
    }
}
