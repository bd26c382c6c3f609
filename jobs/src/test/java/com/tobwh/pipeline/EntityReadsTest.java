package com.tobwh.pipeline;

import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.substring;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An input a job reads through an entity ({@link Incremental.Rule#entity()}, as the cohort mart reads the orders
 * through the account) is read whole once a night, although the plan reads it for the entities the run date
 * reaches, for the keys they feed and for the keys feeding the scope, and the build reads it again.
 *
 * <pre>
 * silver.orders (account_id order_date):  a1 2026-01-05 · a2 2026-02-03   (one file)
 * gold.cohorts: accounts per cohort_month, the month of the account's first order known on the run date
 *
 * night 2026-03-02: a3 2026-03-02 appended to the orders (a second file) → keys {2026-03}
 *   rows read by the job:
 *     silver.orders' change feed: the appended file                                                   1
 *     silver.orders as last night read it, for the cohorts the night's accounts left                  2
 *     silver.orders now, whole, once: the run date's orders, the night's accounts' cohorts now, the
 *       accounts feeding the scope and the build's orders of those accounts come from the cache;
 *       without it they read 1 (Delta's statistics skip the first file) + 3 + 3 + 3 (total 13)          3
 *     gold.cohorts by the replace: no file holds 2026-03, so none is read                              0
 *                                                                                               total 6
 * </pre>
 */
class EntityReadsTest {
    private static final String ORDERS = "silver.orders";
    private static DeltaTables tables;

    private static final Job COHORTS = new Job() {
        @Override
        public String output() {
            return "gold.cohorts";
        }

        @Override
        public List<String> inputs() {
            return List.of(ORDERS);
        }

        @Override
        public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
            return new Built(cohortOf(in, ctx.asOf()).groupBy(col("_key").as("cohort_month"))
                    .agg(count(lit(1)).as("accounts")), null);
        }

        @Override
        public String grain() {
            return "one row per cohort_month";
        }

        @Override
        public List<String> primaryKey() {
            return List.of("cohort_month");
        }

        @Override
        public Incremental incremental() {
            return Incremental.byKey("cohort_month")
                    .throughEntity(new Incremental.Entity("account_id", EntityReadsTest::cohortOf,
                            (in, last, asOf) -> in.get(ORDERS).filter(col("order_date").gt(lit(last.toString()))
                                    .and(col("order_date").leq(lit(asOf.toString())))).select("account_id")))
                    .with(ORDERS, Incremental.Rule.entity());
        }
    };

    /** Each account with an order known on {@code asOf}, and the month of its first as its cohort ({@code _key}). */
    private static Dataset<Row> cohortOf(Map<String, Dataset<Row>> in, LocalDate asOf) {
        return in.get(ORDERS).filter(col("order_date").leq(lit(asOf.toString()))).groupBy("account_id")
                .agg(substring(min(col("order_date")), 1, 7).as("_key"));
    }

    @BeforeAll
    static void aNight() {
        tables = JobNights.pipelineNights("entity-reads", COHORTS, List.of(ORDERS),
                t -> t.overwrite(ORDERS, rows("a1 2026-01-05", "a2 2026-02-03"), List.of()),
                t -> t.append(ORDERS, rows("a3 2026-03-02")));
    }

    @Test
    void theNightAddsTheNewCohort() {
        assertEquals("rebuilt 1 cohort_month values changed in silver.orders, the run date since 2026-03-01",
                night().<String>getAs("message").split("; ")[0]);
        assertEquals(List.of("2026-01 1", "2026-02 1", "2026-03 1"), tables.read("gold.cohorts")
                .orderBy("cohort_month").collectAsList().stream()
                .map(r -> r.getAs("cohort_month") + " " + r.getAs("accounts")).toList());
    }

    @Test
    void itReadsTheOrdersOnceWhole() {
        assertEquals(1 + 2 + 3 + 0, night().<Long>getAs("read_rows"));
    }

    private static Row night() {
        return JobNights.tonightsLog(tables, COHORTS);
    }

    /** A one-file table of orders (account_id order_date) from space-separated lines. */
    private static Dataset<Row> rows(String... lines) {
        return JobNights.stringRows("account_id order_date", lines).coalesce(1);
    }
}
