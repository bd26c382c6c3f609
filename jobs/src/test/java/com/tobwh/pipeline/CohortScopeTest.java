package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.gold.FctSubscriptionMonths;
import com.tobwh.gold.FctSubscriptionMonthsTest;
import com.tobwh.gold.MartCohortRetention;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a nightly run rebuilds of gold.mart_cohort_retention, whose key (the cohort) no changed row names: an
 * account's cohort is the month of its first paid order, found through all of its orders.
 *
 * <pre>
 * last run as of 2026-03-10, from orders v0 (and their subscription months):
 *   o_a1  a  paid 2026-01-10  service 01-10..03-09    → a in cohort 2026-01
 *   o_b1  b  paid 2026-02-05  service 02-05..03-14    → b in cohort 2026-02
 *   o_c1  c  paid 2025-12-01  service 2025-12-01..2026-11-30 → c in cohort 2025-12
 * orders v1 restate o_a1 to 2026-02-12 (service 02-12..04-11): a leaves cohort 2026-01 for 2026-02
 * run as of 2026-03-10 on v1: keys {2026-01-01 (a's cohort before), 2026-02-01 (after)}; the rebuild reads only
 *   the rows of the accounts now in those cohorts, a and b (not c); cohort 2026-01 is left empty, so its rows go;
 *   the table then equals a full rebuild
 * run as of 2026-03-20 on v0: the month in progress is judged 10 days later; only b's service ends in between
 *   (03-14, in [03-10, 03-20)) → keys {2026-02-01}; a's ended 03-09, before the last run
 * run as of 2026-04-01 on v0: a new month gives every cohort a row → rebuilt whole
 * v0's files vacuumed away before the run on v1: a's cohort before cannot be found → rebuilt whole
 * </pre>
 */
class CohortScopeTest {
    private static final LocalDate LAST = LocalDate.parse("2026-03-10");
    private static final String ORDERS = "gold.fct_orders";
    private static final String MONTHS = "gold.fct_subscription_months";
    private static final String MART = "gold.mart_cohort_retention";
    private static final Job JOB = new MartCohortRetention();
    private static final String A_BEFORE = "('o_a1', 1, 'a', '2026-01-10', 'new', 'growth', 1, 'paid', 200, "
            + "'2026-01-10', '2026-03-09')";
    private static final String A_RESTATED = "('o_a1', 1, 'a', '2026-02-12', 'new', 'growth', 1, 'paid', 200, "
            + "'2026-02-12', '2026-04-11')";
    private static final String OTHERS = "('o_b1', 2, 'b', '2026-02-05', 'new', 'growth', 1, 'paid', 100, "
            + "'2026-02-05', '2026-03-14'), ('o_c1', 3, 'c', '2025-12-01', 'new', 'growth', 1, 'paid', 1200, "
            + "'2025-12-01', '2026-11-30')";

    private DeltaTables tables;
    private Map<String, Long> v0;

    @BeforeEach
    void lastRun() {
        tables = new DeltaTables(SparkTestSession.get(),
                SparkTestSession.testConfig(SparkTestSession.scratch("cohort-scope").resolve("warehouse")));
        v0 = write(A_BEFORE);
        tables.overwrite(MART, JOB.build(inputs(), context(LAST)).rows(), List.of());
    }

    @Test
    void aRestatedFirstOrderRebuildsTheCohortsTheAccountLeftAndJoinedFromTheirAccountsOnly() {
        Map<String, Long> v1 = write(A_RESTATED);

        Scope scope = Scope.plan(JOB, context(LAST), tables, new JobState(v0, LAST), v1, at(v1));

        assertEquals("by_key", scope.mode());
        assertEquals(Set.of("2026-01-01", "2026-02-01"), scope.keys());
        Map<String, Dataset<Row>> read = scope.restrict(inputs());
        assertEquals(List.of("o_a1", "o_b1"), read.get(ORDERS).select("order_id").distinct().orderBy("order_id")
                .as(Encoders.STRING()).collectAsList());
        assertEquals(Set.of("a", "b"), Set.copyOf(read.get(MONTHS).select("account_id").distinct()
                .as(Encoders.STRING()).collectAsList()));

        Dataset<Row> rebuilt = scope.keep(JOB.build(read, context(LAST)).rows());
        tables.replaceKeys(MART, rebuilt, scope.key(), scope.keys(), List.of());
        Dataset<Row> full = JOB.build(inputs(), context(LAST)).rows();
        Dataset<Row> nightly = tables.read(MART);
        assertEquals(0, full.exceptAll(nightly).count() + nightly.exceptAll(full).count(),
                "the mart rebuilt by cohort equals a full rebuild");
        assertTrue(nightly.filter("cohort_month = DATE'2026-01-01'").isEmpty(), "a's old cohort is gone");
    }

    @Test
    void theRunDateMovingWithinAMonthRebuildsOnlyCohortsWithAServiceStartingOrEndingInBetween() {
        Scope scope = Scope.plan(JOB, context(LocalDate.parse("2026-03-20")), tables, new JobState(v0, LAST), v0,
                at(v0));
        assertEquals("by_key", scope.mode());
        assertEquals(Set.of("2026-02-01"), scope.keys());
    }

    @Test
    void theFirstRunOfAMonthRebuildsEveryCohort() {
        Scope scope = Scope.plan(JOB, context(LocalDate.parse("2026-04-01")), tables, new JobState(v0, LAST), v0,
                at(v0));
        assertEquals("full", scope.mode());
    }

    @Test
    void versionsLastBuiltFromThatWereVacuumedAwayRebuildEveryCohort() {
        Map<String, Long> v1 = write(A_RESTATED);
        SparkSession spark = SparkTestSession.get();
        String check = "spark.databricks.delta.retentionDurationCheck.enabled";
        spark.conf().set(check, "false");
        try {
            // A pause longer than the configured retention: the files of the version last built from are gone.
            spark.sql("VACUUM delta.`" + tables.path(ORDERS) + "` RETAIN 0 HOURS");
        } finally {
            spark.conf().set(check, "true");
        }

        Scope scope = Scope.plan(JOB, context(LAST), tables, new JobState(v0, LAST), v1, at(v1));

        assertEquals("full", scope.mode());
        assertTrue(scope.reason().contains("no longer readable"), scope.reason());
    }

    /** The inputs as a run reads them at {@code versions}. */
    private Map<String, Dataset<Row>> at(Map<String, Long> versions) {
        Map<String, Dataset<Row>> out = new java.util.HashMap<>();
        versions.forEach((in, v) -> out.put(in, tables.readAt(in, v)));
        return out;
    }

    /** Writes the orders (a's order, then b's and c's) and their subscription months; returns their versions. */
    private Map<String, Long> write(String aOrder) {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> orders = FctSubscriptionMonthsTest.fctOrders(spark, aOrder + ", " + OTHERS);
        Dataset<Row> plans = spark.sql("SELECT xxhash64('growth') AS plan_key, 'growth' AS plan");
        long ordersVersion = tables.overwrite(ORDERS, orders, List.of());
        Dataset<Row> months = new FctSubscriptionMonths()
                .build(Map.of(ORDERS, tables.read(ORDERS), "gold.dim_plan", plans), context(LAST)).rows();
        long monthsVersion = tables.overwrite(MONTHS, months, List.of());
        return Map.of(ORDERS, ordersVersion, MONTHS, monthsVersion);
    }

    private Map<String, Dataset<Row>> inputs() {
        return Map.of(ORDERS, tables.read(ORDERS), MONTHS, tables.read(MONTHS));
    }

    private static RunContext context(LocalDate asOf) {
        return new RunContext("r", asOf, asOf,
                SparkTestSession.testConfig(SparkTestSession.scratch("cohort-scope-cfg")));
    }
}
