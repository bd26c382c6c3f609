package com.tobwh.gold;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import com.tobwh.pipeline.Using;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

/**
 * gold.mart_cohort_retention (published contract): for each cohort of customers by the month of their first paid
 * order, how many are still paying and how much monthly recurring revenue they bring, month by month up to the run.
 *
 * <p>Rules beyond the contract's words:
 * <ul>
 *   <li>The account is {@code account_id}: {@code account_key} changes with every SCD2 version of the account.</li>
 *   <li>Status is the one known at the run: an order refunded or cancelled since is not paid, so an account whose
 *       first order was refunded joins the cohort of its first order that is still paid, and an account with no paid
 *       order is in no cohort. Orders dated after the run date are not known yet and count nowhere.</li>
 *   <li>Months_since 0 follows the activity definition too, so it can hold fewer active accounts (and less MRR)
 *       than the cohort: a first order whose service starts after its month's end, or ends before it. Service
 *       that starts before the cohort month (back-dated) counts from the cohort month only.</li>
 *   <li>Every month from the cohort month to the run's month is present, with 0 active accounts and 0 MRR when
 *       nobody is active; months after the run's month are absent.</li>
 *   <li>gross_revenue_retention is net retention without expansion: each account counts at most its own MRR at
 *       months_since 0.</li>
 * </ul>
 */
public final class MartCohortRetention implements Job {
    private static final String MONEY = "decimal(18,4)";
    private static final double EPS = 1e-9;

    @Override
    public String output() {
        return "gold.mart_cohort_retention";
    }

    @Override
    public List<String> inputs() {
        return List.of("gold.fct_orders", "gold.fct_subscription_months");
    }

    /**
     * By cohort. Which cohort an account's rows feed is decided by all of its orders (the first paid one), so a
     * changed order or subscription month names its account, and the account's cohort before and after the change
     * are rebuilt (a restated first order moves it to another cohort). The run date moving on within a month changes
     * only accounts with an order dated, or a service starting or ending, in between; a new month adds a row to
     * every cohort, so the first run of a month rebuilds them all.
     */
    @Override
    public Incremental incremental() {
        return Incremental.byKey("cohort_month")
                .throughEntity(new Incremental.Entity("account_id", MartCohortRetention::cohortOfAccounts,
                        MartCohortRetention::accountsTheRunDateReaches))
                .with("gold.fct_orders", Incremental.Rule.entity())
                .with("gold.fct_subscription_months", Incremental.Rule.entity());
    }

    /** Each account with a paid order known at {@code asOf}, and its cohort as the key ({@code _key}). */
    static Dataset<Row> cohortOfAccounts(Map<String, Dataset<Row>> in, LocalDate asOf) {
        return cohorts(paid(in.get("gold.fct_orders"), Date.valueOf(asOf)))
                .select(col("account_id"), col("cohort_month").cast("string").as("_key"));
    }

    /**
     * The accounts whose rows change when the run date moves from {@code last} to {@code asOf} in the same month:
     * an order dated in between becomes known, and the month in progress (judged on the run date) gains a service
     * starting in between and loses one ending in between. Null (every cohort) when the month changes.
     */
    static Dataset<Row> accountsTheRunDateReaches(Map<String, Dataset<Row>> in, LocalDate last, LocalDate asOf) {
        if (!last.withDayOfMonth(1).equals(asOf.withDayOfMonth(1))) {
            return null;
        }
        Date from = Date.valueOf(last);
        Date to = Date.valueOf(asOf);
        // Active on d means service_start <= d <= service_end, so between d1 < d2 it changes exactly when the
        // service starts in (d1, d2] or ends in [d1, d2).
        Dataset<Row> known = in.get("gold.fct_orders")
                .filter(col("order_date").gt(lit(from)).and(col("order_date").leq(lit(to))))
                .select(col("account_id"));
        Dataset<Row> switched = in.get("gold.fct_subscription_months")
                .filter(col("month").equalTo(lit(Date.valueOf(asOf.withDayOfMonth(1)))))
                .filter(col("service_start").gt(lit(from)).and(col("service_start").leq(lit(to)))
                        .or(col("service_end").geq(lit(from)).and(col("service_end").lt(lit(to)))))
                .select(col("account_id"));
        return known.union(switched);
    }

    @Override
    public String grain() {
        return "one row per cohort_month (month of the account's first paid order) and months_since "
                + "(0 .. the run's month)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("cohort_month", "months_since");
    }

    @Override
    public List<String> zorderBy() {
        // Readers pick cohorts by cohort_month.
        return List.of("cohort_month");
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("logo_retention in [0,1]", col("logo_retention").between(0.0, 1.0)),
                new Check("active_accounts <= cohort_accounts", col("active_accounts").leq(col("cohort_accounts"))),
                new Check("mrr >= 0", col("mrr").geq(0)),
                new Check("months_since >= 0", col("months_since").geq(0)),
                new Check("gross_revenue_retention in [0,1]", col("gross_revenue_retention").isNull()
                        .or(col("gross_revenue_retention").between(0.0, 1.0 + EPS))),
                new Check("gross_revenue_retention <= net_revenue_retention", col("gross_revenue_retention").isNull()
                        .or(col("gross_revenue_retention").leq(col("net_revenue_retention").plus(EPS)))));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Date asOf = Date.valueOf(ctx.asOf());
        Dataset<Row> paid = paid(in.get("gold.fct_orders"), asOf);
        Dataset<Row> cohorts = cohorts(paid);
        Dataset<Row> grid = monthsReached(cohorts, asOf);
        Dataset<Row> accountMonths = accountMonths(in.get("gold.fct_subscription_months"), paid, cohorts, asOf);

        Dataset<Row> stats = accountMonths.groupBy(col("cohort_month"), col("months_since")).agg(
                count(lit(1)).as("active_accounts"),
                sum(col("account_mrr")).as("mrr"),
                sum(least(col("account_mrr"), col("account_mrr_0"))).as("retained_mrr"));

        Dataset<Row> filled = grid.join(stats, Using.columns("cohort_month", "months_since"), "left")
                .withColumn("mrr", coalesce(col("mrr"), lit(0)).cast(MONEY))
                .withColumn("mrr_0", sum(when(col("months_since").equalTo(0), col("mrr")))
                        .over(Window.partitionBy(col("cohort_month"))));

        Column mrr0 = col("mrr_0").cast("double");
        Column startedWithMrr = col("mrr_0").gt(0);
        return Built.of(filled.select(
                col("cohort_month"),
                col("months_since"),
                col("cohort_accounts"),
                coalesce(col("active_accounts"), lit(0L)).as("active_accounts"),
                coalesce(col("active_accounts"), lit(0L)).cast("double")
                        .divide(col("cohort_accounts").cast("double")).as("logo_retention"),
                col("mrr"),
                when(startedWithMrr, col("mrr").cast("double").divide(mrr0)).as("net_revenue_retention"),
                when(startedWithMrr, coalesce(col("retained_mrr"), lit(0)).cast("double").divide(mrr0))
                        .as("gross_revenue_retention")));
    }

    /** Orders paid (as their status now says) and dated up to the run, of a known account. */
    private static Dataset<Row> paid(Dataset<Row> orders, Date asOf) {
        return orders.filter(col("status").equalTo("paid")
                .and(col("order_date").leq(lit(asOf)))
                .and(col("account_id").isNotNull()));
    }

    /** Each paying account's cohort: the month of its first paid order. */
    private static Dataset<Row> cohorts(Dataset<Row> paid) {
        return paid.groupBy(col("account_id")).agg(trunc(min(col("order_date")), "MM").as("cohort_month"));
    }

    /** Each cohort with its size and one row per month from the cohort month to the run's month. */
    private static Dataset<Row> monthsReached(Dataset<Row> cohorts, Date asOf) {
        // Both are first days of months, so months_between is a whole number.
        Column lastMonthsSince = months_between(trunc(lit(asOf), "MM"), col("cohort_month")).cast("int");
        return cohorts.groupBy(col("cohort_month")).agg(count(lit(1)).as("cohort_accounts"))
                .withColumn("months_since", explode(sequence(lit(0), lastMonthsSince)));
    }

    /**
     * One row per account and month in which it is active (its cohort month or later, up to the run's month), with
     * its MRR then and at months_since 0 (0 when it was not active then).
     */
    private static Dataset<Row> accountMonths(Dataset<Row> subscriptionMonths, Dataset<Row> paid,
                                              Dataset<Row> cohorts, Date asOf) {
        Column asOfMonth = trunc(lit(asOf), "MM");
        // A month is judged on its last day; the month in progress has not reached it, so on the run date.
        Column judged = when(col("month").equalTo(asOfMonth), lit(asOf)).otherwise(col("month_end"));
        // An order's row for month m exists only when its service overlaps m, so the judged day (inside m) is
        // covered exactly when service_start <= judged <= service_end.
        Dataset<Row> perAccount = subscriptionMonths
                .filter(col("month").leq(asOfMonth))
                .filter(col("service_start").leq(judged).and(col("service_end").geq(judged)))
                .join(paid.select(col("order_id")), Using.columns("order_id"), "left_semi")
                .groupBy(col("account_id"), col("month"))
                .agg(sum(col("mrr_rc")).as("account_mrr"));
        return perAccount.join(cohorts, Using.columns("account_id"))
                .withColumn("months_since", months_between(col("month"), col("cohort_month")).cast("int"))
                .filter(col("months_since").geq(0))
                .withColumn("account_mrr_0", coalesce(sum(when(col("months_since").equalTo(0), col("account_mrr")))
                        .over(Window.partitionBy(col("account_id"))), lit(0)));
    }
}
