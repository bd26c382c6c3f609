package com.tobwh.silver;

import com.tobwh.SparkTestSession;
import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Gates;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Staging of help-desk tickets on hand-made bronze rows (times +08:00, the test session's zone):
 *
 * <pre>
 * a  open (03-01 09:00, day 1) → solved (03-03 12:00, day 3) → pending (03-02 10:00, delivered late on day 4)
 *    → the solved row wins: highest updated_at, not the latest delivery
 * b  the same version delivered twice (day 2 line 4, day 3 line 1) → the later delivery (day 3) wins
 * c  pending with first_response_at 08:00 before created_at 09:00 (latest), an earlier open row was fine
 *    → rejected with both timestamps in the reason; the older valid row is not published instead
 * d  resolved_at and first_response_at both before created_at → one reject with both reasons
 * e  no contact, no csat → loaded with nulls
 * </pre>
 */
class StgSupportTicketsTest {
    private static List<Row> rows;
    private static List<Row> rejects;
    private static Dataset<Row> built;

    @BeforeAll
    static void build() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> bronze = spark.sql("""
                SELECT ticket_id, account_id, contact_id, CAST(created_at AS TIMESTAMP) AS created_at,
                       CAST(first_response_at AS TIMESTAMP) AS first_response_at,
                       CAST(resolved_at AS TIMESTAMP) AS resolved_at, priority, channel, category, status,
                       CAST(csat AS BIGINT) AS csat, CAST(updated_at AS TIMESTAMP) AS updated_at,
                       'r1' AS _run_id, _file, CAST(_line AS BIGINT) AS _line, CAST(_dt AS DATE) AS _dt
                FROM VALUES
                  ('a', 'acme', 'c1', '2026-03-01T09:00:00+08:00', NULL, NULL,
                   'high', 'email', 'bug', 'open', NULL, '2026-03-01T09:00:00+08:00', 'd1.jsonl', 1, '2026-03-01'),
                  ('a', 'acme', 'c1', '2026-03-01T09:00:00+08:00', '2026-03-01T10:00:00+08:00',
                   '2026-03-03T12:00:00+08:00', 'high', 'email', 'bug', 'solved', 4,
                   '2026-03-03T12:00:00+08:00', 'd3.jsonl', 2, '2026-03-03'),
                  ('a', 'acme', 'c1', '2026-03-01T09:00:00+08:00', '2026-03-01T10:00:00+08:00', NULL,
                   'high', 'email', 'bug', 'pending', NULL, '2026-03-02T10:00:00+08:00',
                   'd4.jsonl', 1, '2026-03-04'),
                  ('b', 'beta', 'c2', '2026-03-02T09:00:00+08:00', NULL, NULL,
                   'low', 'web', 'how_to', 'open', NULL, '2026-03-02T09:00:00+08:00', 'd2.jsonl', 4, '2026-03-02'),
                  ('b', 'beta', 'c2', '2026-03-02T09:00:00+08:00', NULL, NULL,
                   'low', 'web', 'how_to', 'open', NULL, '2026-03-02T09:00:00+08:00', 'd3.jsonl', 1, '2026-03-03'),
                  ('c', 'beta', 'c2', '2026-03-02T09:00:00+08:00', NULL, NULL,
                   'normal', 'chat', 'billing', 'open', NULL, '2026-03-02T09:00:00+08:00', 'd2.jsonl', 5, '2026-03-02'),
                  ('c', 'beta', 'c2', '2026-03-02T09:00:00+08:00', '2026-03-02T08:00:00+08:00', NULL,
                   'normal', 'chat', 'billing', 'pending', NULL, '2026-03-02T11:00:00+08:00',
                   'd2.jsonl', 6, '2026-03-02'),
                  ('d', 'beta', 'c2', '2026-03-02T09:00:00+08:00', '2026-03-01T08:00:00+08:00',
                   '2026-03-01T20:30:00+08:00', 'urgent', 'phone', 'bug', 'solved', 1,
                   '2026-03-02T12:00:00+08:00', 'd2.jsonl', 7, '2026-03-02'),
                  ('e', 'acme', NULL, '2026-03-02T09:00:00+08:00', NULL, NULL,
                   'normal', 'web', NULL, 'open', NULL, '2026-03-02T09:00:00+08:00', 'd2.jsonl', 8, '2026-03-02')
                  AS t(ticket_id, account_id, contact_id, created_at, first_response_at, resolved_at, priority,
                       channel, category, status, csat, updated_at, _file, _line, _dt)
                """);
        RunContext ctx = new RunContext("run-1", LocalDate.parse("2026-03-04"), LocalDate.parse("2026-03-04"),
                SparkTestSession.testConfig(Path.of("unused")));
        Built out = new StgSupportTickets().build(Map.of("bronze.support_tickets", bronze), ctx);
        built = out.rows();
        rows = built.orderBy("ticket_id").collectAsList();
        rejects = out.rejects().orderBy("raw").collectAsList();
    }

    private static Row ticket(String id) {
        return rows.stream().filter(r -> r.getAs("ticket_id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no ticket " + id + " in " + rows));
    }

    @Test
    void oneRowPerLoadableTicketInTheDocumentedShape() {
        assertEquals(List.of("a", "b", "e"), rows.stream().map(r -> r.<String>getAs("ticket_id")).toList());
        Gates.check(new StgSupportTickets(), built);
    }

    @Test
    void highestUpdatedAtWinsOverTheLatestDelivery() {
        Row a = ticket("a");
        assertEquals("solved", a.getAs("status"));
        assertEquals(4L, a.<Long>getAs("csat"));
        assertEquals("d3.jsonl", a.getAs("_file"));
        assertEquals(2L, a.<Long>getAs("_line"));
    }

    @Test
    void aRedeliveredVersionKeepsTheLaterDelivery() {
        assertEquals("d3.jsonl", ticket("b").getAs("_file"));
        assertEquals(1L, ticket("b").<Long>getAs("_line"));
    }

    @Test
    void missingContactAndCsatStayNull() {
        assertNull(ticket("e").getAs("contact_id"));
        assertNull(ticket("e").getAs("csat"));
        assertNull(ticket("e").getAs("category"));
    }

    @Test
    void aLatestStateAnsweredBeforeItWasOpenedIsRejectedWithTheFields() {
        assertEquals(2, rejects.size());
        Map<String, Row> byFileLine = rejects.stream()
                .collect(Collectors.toMap(r -> r.getAs("file") + ":" + r.getAs("line"), r -> r));
        Row c = byFileLine.get("d2.jsonl:6");
        assertEquals("run-1", c.getAs("run_id"));
        assertEquals("support_tickets", c.getAs("source"));
        assertEquals("support_tickets", c.getAs("object"));
        assertEquals(LocalDate.parse("2026-03-02"), c.<java.sql.Date>getAs("_dt").toLocalDate());
        assertEquals("first_response_at 2026-03-02T08:00:00+08:00 is before created_at 2026-03-02T09:00:00+08:00"
                + " (negative first response time)", c.getAs("reason"));
        assertEquals(true, c.<String>getAs("raw").contains("\"ticket_id\":\"c\""));
        assertEquals(true, c.<String>getAs("raw").contains("\"status\":\"pending\""));
        Row d = byFileLine.get("d2.jsonl:7");
        assertEquals("first_response_at 2026-03-01T08:00:00+08:00 is before created_at 2026-03-02T09:00:00+08:00"
                + " (negative first response time); resolved_at 2026-03-01T20:30:00+08:00 is before created_at"
                + " 2026-03-02T09:00:00+08:00 (negative resolution time)", d.getAs("reason"));
    }
}
