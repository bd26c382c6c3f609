package com.tobwh.silver;

import com.tobwh.SparkTestSession;
import com.tobwh.pipeline.Gates;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-built journeys through events → identity → sessions → touches (all times +08:00, March 2026).
 *
 * <pre>
 * device d1  e1 03-01 10:00 s1  referrer baidu.com/s?wd=crm, /pricing         anonymous  → organic_search
 *            e2 03-01 10:05 s1  page view                                     anonymous
 *            e3 03-03 09:00 s2  utm baidu / cpc / bdsem_1002                  anonymous  → paid_search
 *            e4 03-03 09:10 s2  signup, user c1  (delivered twice: the retry is dropped)
 *            e5 03-05 14:00 --  no session id, direct                         anonymous  → new inferred session
 *            e6 03-05 14:20 --  no session id, 20 min later                   → same inferred session
 *            e7 03-05 15:00 --  no session id, 40 min idle                    → another inferred session
 *   identity: c1 since always (s1 and the inferred sessions are stitched to c1; s2 carries c1 itself)
 * device d2  e8 03-02 11:00 s3  referrer mp.weixin.qq.com, login c2            → social_media
 *   c2 was on account A1 and moved to A3 on 03-10: its history moves along (s3 → A3)
 * device d3  e9 03-01 16:00 s4  referrer zbj.com, delivered 3 days late, never identified → no touch
 * device d4  shared by colleagues c3 and c4 of account A2 (an identity conflict)
 *            e13 03-05 08:00 s8 anonymous → before any identification: first contact c3
 *            e10 03-06 09:00 s5 user c3
 *            e11 03-08 09:00 s6 user c4            → from here the device is c4's
 *            e12 03-09 09:00 s7 anonymous, direct  → c4
 * CRM  c1 A1; c2 A1 → A3; c3 A2; c4 A2; c5 A1 lead_source trade_show created 02-20 (offline touch, events);
 *      c6 A1 lead_source referral, soft-deleted (no touch)
 *
 * touches of A1 in order: offline:c5 (02-20), s1 (03-01), s2 (03-03), inferred 14:00, inferred 15:00 → 5 touches;
 *   s2 is touch 3, 11 days after the first (02-20 → 03-03)
 * touches of A2: s8 (c3), s5 (c3), s6 (c4), s7 (c4) → 4; s7 is c4's 2nd touch. A3: s3 alone.
 * </pre>
 */
class WebJourneyTest {
    private static final String D1_1400 = "gen_d1_20260305140000";
    private static final String D1_1500 = "gen_d1_20260305150000";
    private static Map<String, Row> identity;
    private static Map<String, Row> sessions;
    private static Map<String, Row> touches;
    private static Dataset<Row> events;

    @BeforeAll
    static void build() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> bronzeEvents = spark.sql("""
                SELECT event_id, CAST(t AS TIMESTAMP) AS event_time, anonymous_id, user_id, session_id, event_type,
                       page_url, referrer, utm_source, utm_medium, utm_campaign, CAST(NULL AS STRING) AS utm_content,
                       CAST(NULL AS STRING) AS utm_term, 'ua' AS user_agent, 'r1' AS _run_id, _file,
                       CAST(_line AS BIGINT) AS _line, CAST(_dt AS DATE) AS _dt
                FROM VALUES
                ('e1', '2026-03-01T10:00:00+08:00', 'd1', NULL, 's1', 'page_view', 'https://www.lumencloud.cn/pricing',
                 'https://www.baidu.com/s?wd=crm', NULL, NULL, NULL, 'w/dt=2026-03-01/events.jsonl', 1, '2026-03-01'),
                ('e2', '2026-03-01T10:05:00+08:00', 'd1', NULL, 's1', 'page_view', 'https://www.lumencloud.cn/product',
                 NULL, NULL, NULL, NULL, 'w/dt=2026-03-01/events.jsonl', 2, '2026-03-01'),
                ('e3', '2026-03-03T09:00:00+08:00', 'd1', NULL, 's2', 'page_view', 'https://www.lumencloud.cn/',
                 NULL, 'baidu', 'cpc', 'bdsem_1002', 'w/dt=2026-03-03/events.jsonl', 1, '2026-03-03'),
                ('e4', '2026-03-03T09:10:00+08:00', 'd1', 'c1', 's2', 'signup', 'https://www.lumencloud.cn/signup',
                 NULL, NULL, NULL, NULL, 'w/dt=2026-03-03/events.jsonl', 2, '2026-03-03'),
                ('e4', '2026-03-03T09:10:00+08:00', 'd1', 'c1', 's2', 'signup', 'https://www.lumencloud.cn/signup',
                 NULL, NULL, NULL, NULL, 'w/dt=2026-03-04/events-retry.jsonl', 1, '2026-03-04'),
                ('e5', '2026-03-05T14:00:00+08:00', 'd1', NULL, NULL, 'page_view', 'https://www.lumencloud.cn/',
                 NULL, NULL, NULL, NULL, 'w/dt=2026-03-05/events.jsonl', 1, '2026-03-05'),
                ('e6', '2026-03-05T14:20:00+08:00', 'd1', NULL, NULL, 'page_view', 'https://www.lumencloud.cn/docs',
                 NULL, NULL, NULL, NULL, 'w/dt=2026-03-05/events.jsonl', 2, '2026-03-05'),
                ('e7', '2026-03-05T15:00:00+08:00', 'd1', NULL, NULL, 'page_view', 'https://www.lumencloud.cn/',
                 NULL, NULL, NULL, NULL, 'w/dt=2026-03-05/events.jsonl', 3, '2026-03-05'),
                ('e8', '2026-03-02T11:00:00+08:00', 'd2', 'c2', 's3', 'login', 'https://www.lumencloud.cn/',
                 'https://mp.weixin.qq.com/s/abc', NULL, NULL, NULL, 'w/dt=2026-03-02/events.jsonl', 1, '2026-03-02'),
                ('e9', '2026-03-01T16:00:00+08:00', 'd3', NULL, 's4', 'page_view', 'https://www.lumencloud.cn/',
                 'https://www.zbj.com/fw/1.html', NULL, NULL, NULL, 'w/dt=2026-03-04/events.jsonl', 9, '2026-03-04'),
                ('e13', '2026-03-05T08:00:00+08:00', 'd4', NULL, 's8', 'page_view', 'https://www.lumencloud.cn/',
                 NULL, NULL, NULL, NULL, 'w/dt=2026-03-05/events.jsonl', 4, '2026-03-05'),
                ('e10', '2026-03-06T09:00:00+08:00', 'd4', 'c3', 's5', 'login', 'https://app.lumencloud.cn/',
                 NULL, NULL, NULL, NULL, 'w/dt=2026-03-06/events.jsonl', 1, '2026-03-06'),
                ('e11', '2026-03-08T09:00:00+08:00', 'd4', 'c4', 's6', 'login', 'https://app.lumencloud.cn/',
                 NULL, NULL, NULL, NULL, 'w/dt=2026-03-08/events.jsonl', 1, '2026-03-08'),
                ('e12', '2026-03-09T09:00:00+08:00', 'd4', NULL, 's7', 'page_view', 'https://www.lumencloud.cn/',
                 NULL, NULL, NULL, NULL, 'w/dt=2026-03-09/events.jsonl', 1, '2026-03-09')
                AS t(event_id, t, anonymous_id, user_id, session_id, event_type, page_url, referrer, utm_source,
                     utm_medium, utm_campaign, _file, _line, _dt)
                """);
        Dataset<Row> bronzeContacts = spark.sql("""
                SELECT contact_id, account_id, CONCAT(contact_id, '@example.cn') AS email, lead_source,
                       CAST(created AS TIMESTAMP) AS created_at, CAST(updated AS TIMESTAMP) AS updated_at, is_deleted,
                       'r1' AS _run_id, 'crm/contacts.jsonl' AS _file, CAST(_line AS BIGINT) AS _line,
                       CAST(SUBSTR(updated, 1, 10) AS DATE) AS _dt
                FROM VALUES
                  ('c1', 'A1', NULL, '2026-03-03T09:10:00+08:00', '2026-03-03T09:10:00+08:00', false, 1),
                  ('c2', 'A1', NULL, '2026-02-25T10:00:00+08:00', '2026-02-25T10:00:00+08:00', false, 2),
                  ('c2', 'A3', NULL, '2026-02-25T10:00:00+08:00', '2026-03-10T10:00:00+08:00', false, 3),
                  ('c3', 'A2', NULL, '2026-03-06T09:00:00+08:00', '2026-03-06T09:00:00+08:00', false, 4),
                  ('c4', 'A2', NULL, '2026-03-08T09:00:00+08:00', '2026-03-08T09:00:00+08:00', false, 5),
                  ('c5', 'A1', 'trade_show', '2026-02-20T15:00:00+08:00', '2026-02-20T15:00:00+08:00', false, 6),
                  ('c6', 'A1', 'referral', '2026-02-21T15:00:00+08:00', '2026-02-21T15:00:00+08:00', false, 7),
                  ('c6', 'A1', 'referral', '2026-02-21T15:00:00+08:00', '2026-02-22T15:00:00+08:00', true, 8)
                  AS t(contact_id, account_id, lead_source, created, updated, is_deleted, _line)
                """);
        RunContext ctx = new RunContext("r1", LocalDate.parse("2026-03-10"), LocalDate.parse("2026-03-10"),
                SparkTestSession.testConfig(Path.of("unused")));
        events = new StgWebTrafficEvents().build(Map.of("bronze.web_traffic", bronzeEvents), ctx).rows().cache();
        Dataset<Row> contacts = new StgCrmContacts().build(Map.of("bronze.crm__contacts", bronzeContacts), ctx).rows();
        Dataset<Row> ids = new IntIdentityStitched().build(Map.of("silver.stg_web_traffic__events", events), ctx)
                .rows();
        Dataset<Row> sess = new IntSessionsSessionized().build(Map.of("silver.stg_web_traffic__events", events,
                "silver.int_identity__stitched", ids, "silver.stg_crm__contacts", contacts), ctx).rows().cache();
        Dataset<Row> tch = new IntTouchesCombined().build(Map.of("silver.int_sessions__sessionized", sess,
                "silver.stg_crm__contacts", contacts), ctx).rows();
        Gates.check(new IntSessionsSessionized(), sess);
        Gates.check(new IntTouchesCombined(), tch);
        identity = ids.collectAsList().stream().collect(Collectors.toMap(
                r -> r.<String>getAs("anonymous_id") + "#" + r.<Integer>getAs("interval_number"), r -> r));
        sessions = sess.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("session_id"), r -> r));
        touches = tch.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("touch_id"), r -> r));
    }

    private static Instant at(String iso) {
        return java.time.OffsetDateTime.parse(iso).toInstant();
    }

    @Test
    void aRetriedEventIsKeptOnceFromItsFirstDelivery() {
        List<Row> e4 = events.filter("event_id = 'e4'").collectAsList();
        assertEquals(1, e4.size());
        assertEquals("w/dt=2026-03-03/events.jsonl", e4.get(0).getAs("_file"));
        assertEquals(13, events.count());
        Row late = events.filter("event_id = 'e9'").first();
        assertEquals(3, late.<Integer>getAs("landing_delay_days"));
        assertEquals(LocalDate.parse("2026-03-01"), late.<java.sql.Date>getAs("event_date").toLocalDate());
    }

    @Test
    void eachDeviceMapsToTheContactWhoIdentifiedOnIt() {
        assertEquals(4, identity.size());
        Row d1 = identity.get("d1#1");
        assertEquals("c1", d1.getAs("contact_id"));
        assertNull(d1.getAs("valid_from"), "the first contact owns the device's earlier anonymous history");
        assertNull(d1.getAs("valid_to"));
        assertFalse(d1.<Boolean>getAs("is_conflict"));
    }

    @Test
    void aSharedDeviceIsSplitAtTheChangeOfUserAndCountedAsAConflict() {
        Row first = identity.get("d4#1");
        Row second = identity.get("d4#2");
        assertEquals("c3", first.getAs("contact_id"));
        assertNull(first.getAs("valid_from"));
        assertEquals(at("2026-03-08T09:00:00+08:00"), first.<Timestamp>getAs("valid_to").toInstant());
        assertEquals("c4", second.getAs("contact_id"));
        assertEquals(at("2026-03-08T09:00:00+08:00"), second.<Timestamp>getAs("valid_from").toInstant());
        assertTrue(first.<Boolean>getAs("is_conflict") && second.<Boolean>getAs("is_conflict"));
        assertEquals(2, first.<Integer>getAs("contacts_on_device"));
        assertEquals("c3", sessions.get("s8").getAs("contact_id"), "before any identification: the first contact");
        assertEquals("c4", sessions.get("s7").getAs("contact_id"), "after c4 logged in, the device is c4's");
        assertEquals("stitched", sessions.get("s7").getAs("identity_source"));
    }

    @Test
    void anonymousVisitsBeforeSignUpJoinTheContactAndItsAccount() {
        Row s1 = sessions.get("s1");
        assertEquals("c1", s1.getAs("contact_id"));
        assertEquals("A1", s1.getAs("account_id"));
        assertEquals("stitched", s1.getAs("identity_source"));
        assertEquals("organic_search", s1.getAs("channel"));
        assertEquals("/pricing", s1.getAs("landing_path"));
        assertEquals("baidu.com", s1.getAs("referrer_host"));
        assertEquals(2, s1.<Integer>getAs("event_count"));
        assertEquals(300L, s1.<Long>getAs("duration_seconds"));
        Row s2 = sessions.get("s2");
        assertEquals("user_id", s2.getAs("identity_source"));
        assertEquals("paid_search", s2.getAs("channel"));
        assertEquals("bdsem_1002", s2.getAs("utm_campaign"));
        assertEquals(2, s2.<Integer>getAs("event_count"), "the retried signup counts once");
        assertEquals(1, s2.<Integer>getAs("conversion_events"));
    }

    @Test
    void eventsWithoutSessionIdAreSessionisedByTheIdleGap() {
        assertEquals(10, sessions.size());
        Row first = sessions.get(D1_1400);
        assertEquals(2, first.<Integer>getAs("event_count"), "14:00 and 14:20 are 20 minutes apart");
        assertEquals("inferred", first.getAs("session_id_source"));
        assertEquals("direct", first.getAs("channel"));
        assertEquals("c1", first.getAs("contact_id"));
        assertEquals(1, sessions.get(D1_1500).<Integer>getAs("event_count"), "15:00 follows 40 idle minutes");
    }

    @Test
    void aLateEventLandsOnItsOwnDayAndAnUnidentifiedVisitorMakesNoTouch() {
        Row s4 = sessions.get("s4");
        assertEquals(LocalDate.parse("2026-03-01"), s4.<java.sql.Date>getAs("session_date").toLocalDate());
        assertEquals("third_party_platform", s4.getAs("channel"));
        assertNull(s4.getAs("contact_id"));
        assertEquals("anonymous", s4.getAs("identity_source"));
        assertFalse(touches.containsKey("web:s4"));
    }

    @Test
    void aContactMovedToAnotherAccountTakesItsHistoryAlong() {
        assertEquals("A3", sessions.get("s3").getAs("account_id"));
        assertEquals("social_media", sessions.get("s3").getAs("channel"));
        Row t = touches.get("web:s3");
        assertEquals("A3", t.getAs("account_id"));
        assertEquals(1, t.<Integer>getAs("account_touch_number"));
        assertTrue(t.<Boolean>getAs("is_first_account_touch"));
    }

    @Test
    void anAccountJourneyMixesOfflineAndWebTouchesOfAllItsContacts() {
        List<String> a1 = touches.values().stream().filter(r -> "A1".equals(r.getAs("account_id")))
                .sorted(java.util.Comparator.comparing(r -> r.<Integer>getAs("account_touch_number")))
                .map(r -> r.<String>getAs("touch_id")).toList();
        assertEquals(List.of("offline:c5", "web:s1", "web:s2", "web:" + D1_1400, "web:" + D1_1500), a1);
        Row offline = touches.get("offline:c5");
        assertEquals("offline", offline.getAs("touch_type"));
        assertEquals("events", offline.getAs("channel"));
        assertTrue(offline.<Boolean>getAs("is_first_account_touch"));
        Row s2 = touches.get("web:s2");
        assertEquals(3, s2.<Integer>getAs("account_touch_number"));
        assertEquals(11, s2.<Integer>getAs("days_since_first_account_touch"));
        assertEquals("bdsem_1002", s2.getAs("campaign_id"));
        assertEquals(5, touches.get("web:" + D1_1500).<Integer>getAs("account_touch_number"));
        assertFalse(touches.containsKey("offline:c6"), "a soft-deleted contact makes no touch");
    }

    @Test
    void twoContactsOfOneAccountShareTheJourney() {
        List<String> a2 = touches.values().stream().filter(r -> "A2".equals(r.getAs("account_id")))
                .sorted(java.util.Comparator.comparing(r -> r.<Integer>getAs("account_touch_number")))
                .map(r -> r.<String>getAs("touch_id") + "/" + r.<String>getAs("contact_id")).toList();
        assertEquals(List.of("web:s8/c3", "web:s5/c3", "web:s6/c4", "web:s7/c4"), a2);
        assertEquals(2, touches.get("web:s7").<Integer>getAs("contact_touch_number"));
        assertEquals(10, touches.size());
    }
}
