package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.gold.FctSubscriptionMonths;
import com.tobwh.gold.FctSubscriptionMonthsTest;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A night of the subscription months: an order's months come from the order, and only its plan's key from the plan
 * dimension, whose counts move with every order.
 *
 * <pre>
 * orders: o1 growth Jan..Feb · o2 growth Feb · o3 legacy Mar (no plan 'legacy' yet: plan_key -1)
 * dim_plan: growth (2 orders) · unknown
 * last night: o1 Jan, Feb · o2 Feb · o3 Mar, all with their plan's key, o3's -1
 *
 * a) a new order o4 growth Mar: dim_plan's growth row now counts 3 orders, but its key is the same, so the night
 *    rebuilds o4 alone (not o1, o2: every order of the plan, as it did before it read the key alone)
 * b) dim_plan gains 'legacy' (no order changed): o3 is re-keyed to legacy's key, the rest stand
 * each night's table equals a whole rebuild
 * </pre>
 */
class SubscriptionScopeTest {
    private static final String ORDERS = "gold.fct_orders";
    private static final String PLANS = "gold.dim_plan";
    private static final LocalDate LAST = LocalDate.parse("2026-03-31");
    private static final String ORDERS_BEFORE = """
            ('o1', 11, 'acc_a', '2026-01-01', 'new', 'growth', 2, 'paid', 200, '2026-01-01', '2026-02-28'),
            ('o2', 12, 'acc_b', '2026-02-01', 'new', 'growth', 1, 'paid', 100, '2026-02-01', '2026-02-28'),
            ('o3', 13, 'acc_c', '2026-03-01', 'new', 'legacy', 1, 'paid', 50, '2026-03-01', '2026-03-31')""";
    private static final String O4 = """
            ,('o4', 11, 'acc_a', '2026-03-01', 'expansion', 'growth', 1, 'paid', 30, '2026-03-01', '2026-03-31')""";

    private final FctSubscriptionMonths job = new FctSubscriptionMonths();
    private DeltaTables tables;
    private JobNights nights;

    @BeforeEach
    void lastNight() {
        nights = JobNights.scratch("subscription-scope", job, LAST);
        tables = nights.tables();
        nights.lastNight(Map.of(ORDERS, tables.overwrite(ORDERS, orders(ORDERS_BEFORE), List.of()),
                PLANS, tables.overwrite(PLANS, plans("('growth', 2)"), List.of())));
    }

    @Test
    void aNewOrderRebuildsItselfNotEveryOrderOfItsPlan() {
        Map<String, Long> now = Map.of(ORDERS, tables.overwrite(ORDERS, orders(ORDERS_BEFORE + O4), List.of()),
                PLANS, tables.overwrite(PLANS, plans("('growth', 3)"), List.of()));
        Scope scope = nights.plan(now);
        assertEquals(Set.of("o4"), scope.keys(), scope.reason());
        assertEquals(Set.of("o4 2026-03-01 growth"), months(nights.replace(scope, now)));
        assertEquals(months(nights.rebuiltWhole(now)), months(tables.read(job.output())));
    }

    @Test
    void aPlanGainingItsKeyReKeysItsOrders() {
        Map<String, Long> now = Map.of(ORDERS, nights.before(ORDERS),
                PLANS, tables.overwrite(PLANS, plans("('growth', 2), ('legacy', 1)"), List.of()));
        Scope scope = nights.plan(now);
        assertEquals(Set.of("o3"), scope.keys(), scope.reason());
        assertEquals(Set.of("o3 2026-03-01 legacy"), months(nights.replace(scope, now)));
        assertEquals(Set.of("o1 2026-01-01 growth", "o1 2026-02-01 growth", "o2 2026-02-01 growth",
                "o3 2026-03-01 legacy"), months(tables.read(job.output())));
        assertEquals(months(nights.rebuiltWhole(now)), months(tables.read(job.output())));
    }

    private static Dataset<Row> orders(String values) {
        return FctSubscriptionMonthsTest.fctOrders(SparkTestSession.get(), values);
    }

    /** dim_plan's rows "(plan, orders)" and its unknown member, keyed as the dimension keys them. */
    private static Dataset<Row> plans(String values) {
        return SparkTestSession.get().sql("SELECT xxhash64(plan) AS plan_key, plan, CAST(orders AS BIGINT) AS orders"
                + " FROM VALUES " + values + " AS t(plan, orders)"
                + " UNION ALL SELECT CAST(-1 AS BIGINT), 'unknown', CAST(0 AS BIGINT)");
    }

    /** "order month plan" of each row, the plan named by the row's key (unknown: -1). */
    private Set<String> months(Dataset<Row> rows) {
        Map<Long, String> names = tables.read(PLANS).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.<Long>getAs("plan_key"), r -> r.getAs("plan")));
        return rows.select(col("order_id"), col("month"), col("plan_key")).collectAsList().stream()
                .map(r -> r.get(0) + " " + r.get(1) + " " + names.getOrDefault(r.<Long>getAs(2), "?"))
                .collect(Collectors.toSet());
    }
}
