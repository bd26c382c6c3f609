package com.tobwh.gold;

import com.tobwh.bronze.BronzeValidation;
import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

/**
 * gold.fct_subscription_months: each paid order spread over the calendar months its service period touches, with
 * revenue recognised pro rata by day and the order's monthly-normalised amount (MRR); paid orders without a usable
 * service period are refused (silver.rejects) rather than dropped.
 */
public final class FctSubscriptionMonths implements Job {
    private static final String MONEY = "decimal(18,4)";

    @Override
    public String output() {
        return "gold.fct_subscription_months";
    }

    @Override
    public List<String> inputs() {
        return List.of("gold.fct_orders", "gold.dim_plan");
    }

    @Override
    public Incremental incremental() {
        // An order's months come from the order alone; a plan's key is looked up, so a plan gaining (or losing) its
        // key re-keys the orders of that plan (found in the orders, refused ones too). Only the key is read: a new
        // order moves its plan's counts and median price, which must not rebuild every order of the plan.
        return Incremental.byKey("order_id")
                .with("gold.fct_orders", Incremental.Rule.column("order_id"))
                .with("gold.dim_plan", Incremental.Rule.viaInput("gold.fct_orders", col("plan"), "plan"))
                .reading("gold.dim_plan", "plan_key", "plan");
    }

    @Override
    public String grain() {
        return "one row per paid order and calendar month its service period [service_start, service_end] overlaps";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("order_id", "month");
    }

    @Override
    public List<String> partitionBy() {
        return List.of("month");
    }

    @Override
    public List<String> zorderBy() {
        // MRR and retention are read per account, month by month (month is the partition).
        return List.of("account_key");
    }

    @Override
    public List<ForeignKey> foreignKeys() {
        // account_key comes from fct_orders, whose own gate resolved it.
        return List.of(new ForeignKey("plan_key", "gold.dim_plan"));
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("days_in_month_covered between 1 and 31", col("days_in_month_covered").between(1, 31)),
                new Check("days_in_month_covered <= service_days",
                        col("days_in_month_covered").leq(col("service_days"))),
                new Check("recognised revenue is never negative", col("recognised_revenue_rc").geq(0)),
                new Check("account_key resolves (or is the unknown member -1)", col("account_key").isNotNull()));
    }

    /**
     * The contract's service_months (CONTRACT.md, mart_cohort_retention): whole months when the days line up, e.g.
     * 2026-01-15..2026-04-14 is 3.0, and a fraction by Spark's 31-day rule otherwise.
     */
    public static Column serviceMonths(Column serviceStart, Column serviceEnd) {
        return months_between(date_add(serviceEnd, 1), serviceStart);
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> orders = in.get("gold.fct_orders");
        // Refunded and cancelled orders pay for nothing, so they recognise nothing.
        Dataset<Row> paid = orders.filter(col("status").equalTo("paid"));
        Column start = col("service_start");
        Column end = col("service_end");
        Column usable = start.isNotNull().and(end.isNotNull()).and(end.geq(start));

        // The unknown member's own 'unknown' name must not catch a plan that happens to be called so.
        Dataset<Row> plans = in.get("gold.dim_plan").filter(col("plan_key").notEqual(DimPlan.UNKNOWN))
                .select(col("plan").as("dim_plan"), col("plan_key"));
        Dataset<Row> months = paid.filter(usable)
                .join(broadcast(plans), col("plan").equalTo(col("dim_plan")), "left")
                .withColumn("month", explode(sequence(trunc(start, "MM"), trunc(end, "MM"), expr("INTERVAL 1 MONTH"))))
                .withColumn("month_end", last_day(col("month")));

        Column monthEnd = col("month_end");
        Column serviceDays = datediff(end, start).plus(1);
        Column amount = col("amount_rc");
        // Each month gets (cumulative share through its end) - (cumulative share before it), each rounded: the
        // pieces telescope to exactly amount_rc, every piece stays within 0.0001 of its exact share, and no
        // window over the order's months is needed.
        Column daysThrough = datediff(least(end, monthEnd), start).plus(1);
        Column daysBefore = datediff(greatest(col("month"), start), start);
        Column recognised = round(amount.multiply(daysThrough).divide(serviceDays), 4)
                .minus(round(amount.multiply(daysBefore).divide(serviceDays), 4));
        // months_between rounds to 8 decimals, so the decimal cast is exact and the division stays in decimals.
        Column mrr = round(amount.divide(serviceMonths(start, end).cast("decimal(20,8)")), 4);

        Dataset<Row> rows = months.select(
                col("order_id"),
                col("account_key"),
                col("account_id"),
                coalesce(col("plan_key"), lit(DimPlan.UNKNOWN)).as("plan_key"),
                col("order_type"),
                col("month"),
                start.as("service_start"),
                end.as("service_end"),
                datediff(least(end, monthEnd), greatest(start, col("month"))).plus(1).as("days_in_month_covered"),
                serviceDays.as("service_days"),
                recognised.cast(MONEY).as("recognised_revenue_rc"),
                serviceMonths(start, end).as("service_months"),
                mrr.cast(MONEY).as("mrr_rc"),
                end.geq(monthEnd).as("covers_month_end"),
                monthEnd.as("month_end"));

        return new Built(rows, refused(paid.filter(not(usable)), ctx));
    }

    /** Paid orders whose service period is missing or runs backwards, each with a reason naming the fields. */
    private static Dataset<Row> refused(Dataset<Row> bad, RunContext ctx) {
        Column start = col("service_start");
        Column end = col("service_end");
        Column problem = when(start.isNull().and(end.isNull()), lit("service_start and service_end are null"))
                .when(start.isNull(), lit("service_start is null"))
                .when(end.isNull(), lit("service_end is null"))
                .otherwise(concat(lit("service_end "), date_format(end, "yyyy-MM-dd"),
                        lit(" is before service_start "), date_format(start, "yyyy-MM-dd")));
        Column raw = to_json(struct(Arrays.stream(bad.columns()).map(bad::col).toArray(Column[]::new)));
        // A gold row no longer knows the landing file, line or delivery date it came from; the order id finds it.
        return bad.select(BronzeValidation.rejectRow(ctx.runId(), lit("orders"), lit("orders"),
                lit(null).cast("string"), lit(null).cast("long"), raw,
                concat(lit("paid order "), col("order_id"), lit(": "), problem,
                        lit("; not spread over months in gold.fct_subscription_months")),
                lit(null).cast("date"), col("order_id")));
    }
}
