package com.tobwh.gold;

import com.tobwh.SparkTestSession;
import com.tobwh.pipeline.Gates;
import com.tobwh.pipeline.RunContext;
import com.tobwh.silver.IntAccountsVersioned;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCD type 2 on accounts, and orders joining the version valid on their date.
 *
 * <pre>
 * A1 deliveries (updated_at, +08:00)     industry  band    owner  name
 *   01-05 10:00 (created 01-01 09:00)    retail    1-50    li     Acme
 *   02-01 10:00                          retail    1-50    li     Acme Ltd     name only: type 1, no new version
 *   03-10 11:00                          retail    51-200  li     Acme Ltd     band grew: version 2
 *   03-10 11:00 re-delivered later       retail    51-200  wang   Acme Ltd     same updated_at: later delivery wins
 * → v1 [01-01 09:00, 03-10 11:00)  v2 [03-10 11:00, open), both named "Acme Ltd" (current name)
 * A9 created 01-02, soft-deleted 01-03: not in the dimension
 *
 * orders  o1 A1 02-15 → v1;  o2 A1 03-10 (the change day: end of day → v2);  o3 A1 03-20 → v2;
 *         o4 A9 (deleted account) → -1;  o5 A1 01-01 (before creation hour, still the day) → v1
 * </pre>
 */
class DimAccountScd2Test {
    private static Map<Integer, Row> versions;
    private static Map<String, Row> orders;
    private static List<Row> dim;

    @BeforeAll
    static void build() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> bronze = spark.sql("""
                SELECT account_id, name, industry, employee_band, region, owner,
                       CAST(created AS TIMESTAMP) AS created_at, CAST(updated AS TIMESTAMP) AS updated_at,
                       is_deleted, 'r1' AS _run_id, _file, CAST(_line AS BIGINT) AS _line, CAST(_dt AS DATE) AS _dt
                FROM VALUES
                ('A1', 'Acme', 'retail', '1-50', 'east', 'li', '2026-01-01T09:00:00+08:00',
                 '2026-01-05T10:00:00+08:00', false, 'crm/dt=2026-01-05/accounts.jsonl', 1, '2026-01-05'),
                ('A1', 'Acme Ltd', 'retail', '1-50', 'east', 'li', '2026-01-01T09:00:00+08:00',
                 '2026-02-01T10:00:00+08:00', false, 'crm/dt=2026-02-01/accounts.jsonl', 1, '2026-02-01'),
                ('A1', 'Acme Ltd', 'retail', '51-200', 'east', 'li', '2026-01-01T09:00:00+08:00',
                 '2026-03-10T11:00:00+08:00', false, 'crm/dt=2026-03-10/accounts.jsonl', 1, '2026-03-10'),
                ('A1', 'Acme Ltd', 'retail', '51-200', 'east', 'wang', '2026-01-01T09:00:00+08:00',
                 '2026-03-10T11:00:00+08:00', false, 'crm/dt=2026-03-11/accounts.jsonl', 1, '2026-03-11'),
                ('A9', 'Dup', 'saas', '1-50', 'north', 'li', '2026-01-02T09:00:00+08:00',
                 '2026-01-02T09:00:00+08:00', false, 'crm/dt=2026-01-02/accounts.jsonl', 1, '2026-01-02'),
                ('A9', 'Dup', 'saas', '1-50', 'north', 'li', '2026-01-02T09:00:00+08:00',
                 '2026-01-03T09:00:00+08:00', true, 'crm/dt=2026-01-03/accounts.jsonl', 1, '2026-01-03')
                AS t(account_id, name, industry, employee_band, region, owner, created, updated, is_deleted, _file,
                     _line, _dt)
                """);
        RunContext ctx = new RunContext("r1", LocalDate.parse("2026-03-31"), LocalDate.parse("2026-03-31"),
                SparkTestSession.testConfig(Path.of("unused")));
        Dataset<Row> hist = new IntAccountsVersioned().build(Map.of("bronze.crm__accounts", bronze), ctx).rows();
        Gates.check(new IntAccountsVersioned(), hist);
        Dataset<Row> dimAccount = new DimAccount().build(Map.of("silver.int_accounts__versioned", hist), ctx).rows()
                .cache();
        Gates.check(new DimAccount(), dimAccount);
        dim = dimAccount.collectAsList();
        versions = dim.stream().filter(r -> "A1".equals(r.getAs("account_id")))
                .collect(Collectors.toMap(r -> r.<Integer>getAs("version"), r -> r));
        Dataset<Row> stg = spark.sql("""
                SELECT order_id, account_id, CAST(NULL AS STRING) AS opportunity_id, CAST(d AS DATE) AS order_date,
                       'new' AS order_type, 'pro' AS plan, CAST(5 AS BIGINT) AS seats, 'paid' AS status,
                       CAST(100 AS DECIMAL(18,4)) AS amount, 'CNY' AS currency,
                       CAST(1 AS DECIMAL(28,10)) AS fx_rate, CAST(100 AS DECIMAL(18,4)) AS amount_rc,
                       CAST(100 AS DECIMAL(18,4)) AS net_revenue_rc, CAST(d AS DATE) AS service_start,
                       date_add(CAST(d AS DATE), 29) AS service_end, 'o.csv' AS _file, CAST(1 AS BIGINT) AS _line
                FROM VALUES ('o1', 'A1', '2026-02-15'), ('o2', 'A1', '2026-03-10'), ('o3', 'A1', '2026-03-20'),
                            ('o4', 'A9', '2026-01-02'), ('o5', 'A1', '2026-01-01') AS t(order_id, account_id, d)
                """);
        Dataset<Row> fct = new FctOrders().build(Map.of("silver.stg_orders", stg, "gold.dim_account", dimAccount,
                "gold.dim_date", new DimDate().build(Map.of(), ctx).rows()), ctx).rows();
        orders = fct.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("order_id"), r -> r));
    }

    private static Timestamp ts(String iso) {
        return Timestamp.from(OffsetDateTime.parse(iso).toInstant());
    }

    @Test
    void aVersionStartsOnlyWhereATrackedAttributeChanges() {
        assertEquals(2, versions.size());
        Row v1 = versions.get(1);
        assertEquals("1-50", v1.getAs("employee_band"));
        assertEquals(ts("2026-01-01T09:00:00+08:00"), v1.getAs("valid_from"), "the first version starts at creation");
        assertEquals(ts("2026-03-10T11:00:00+08:00"), v1.getAs("valid_to"));
        assertFalse(v1.<Boolean>getAs("is_current"));
        Row v2 = versions.get(2);
        assertEquals("51-200", v2.getAs("employee_band"));
        assertEquals("wang", v2.getAs("owner"), "of two deliveries with the same updated_at, the later wins");
        assertNull(v2.getAs("valid_to"));
        assertTrue(v2.<Boolean>getAs("is_current"));
        assertEquals("Acme Ltd", v1.getAs("name"), "name is type 1: the current name on every version");
        assertEquals(v1.<Long>getAs("account_durable_key"), v2.<Long>getAs("account_durable_key"));
    }

    @Test
    void aSoftDeletedAccountLeavesAndTheUnknownMemberStays() {
        assertTrue(dim.stream().noneMatch(r -> "A9".equals(r.getAs("account_id"))));
        assertEquals(1, dim.stream().filter(r -> r.<Long>getAs("account_key") == -1L).count());
        assertEquals(3, dim.size());
    }

    @Test
    void eachOrderJoinsTheVersionValidOnItsDate() {
        long v1 = versions.get(1).getAs("account_key");
        long v2 = versions.get(2).getAs("account_key");
        assertEquals(v1, orders.get("o1").<Long>getAs("account_key"));
        assertEquals(v2, orders.get("o2").<Long>getAs("account_key"), "a change made on the order day applies");
        assertEquals(v2, orders.get("o3").<Long>getAs("account_key"));
        assertEquals(v1, orders.get("o5").<Long>getAs("account_key"), "an order on the creation day finds version 1");
        assertEquals(-1L, orders.get("o4").<Long>getAs("account_key"));
        assertEquals(20260215, orders.get("o1").<Integer>getAs("order_date_key"));
        assertEquals(new BigDecimal("100.0000"), orders.get("o1").getAs("net_revenue_rc"));
    }
}
