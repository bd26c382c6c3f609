package com.tobwh.gold;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/** gold.dim_plan: one row per plan name seen in orders, with its realised seat price, plus the unknown member -1. */
public final class DimPlan implements Job {
    public static final long UNKNOWN = -1L;

    /**
     * Order types whose amount pays for all of the order's seats over its whole period. An expansion is left out:
     * it bills only the added seats, at the difference between two tier prices, so amount / seats is no seat price.
     */
    static final List<String> PRICED_TYPES = List.of("new", "renewal", "contraction");

    @Override
    public String output() {
        return "gold.dim_plan";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.stg_orders");
    }

    @Override
    public String grain() {
        return "one row per plan name seen in orders, plan_key -1 = unknown (orders without a plan)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("plan_key");
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("plan is named", col("plan").isNotNull()),
                new Check("priced orders are a subset of orders", col("priced_orders").leq(col("orders"))),
                new Check("seat price is never negative", col("median_seat_month_price_rc").isNull()
                        .or(col("median_seat_month_price_rc").geq(0))));
    }

    /** Derived from the plan name, so a plan keeps its key across runs and rebuilds. */
    public static Column planKey(Column plan) {
        return xxhash64(plan);
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> orders = in.get("silver.stg_orders");
        Column priced = col("status").equalTo("paid")
                .and(col("order_type").isin(PRICED_TYPES.toArray()))
                .and(col("seats").gt(0))
                .and(col("amount_rc").isNotNull())
                .and(col("service_end").geq(col("service_start")));
        Column seatMonthPrice = col("amount_rc").cast("double").divide(col("seats"))
                .divide(FctSubscriptionMonths.serviceMonths(col("service_start"), col("service_end")));
        // An exact median is affordable: a plan's orders number in the thousands, not the millions.
        Dataset<Row> named = orders.filter(col("plan").isNotNull()).groupBy(col("plan")).agg(
                        min("order_date").as("first_seen_date"),
                        max("order_date").as("last_seen_date"),
                        count(lit(1)).as("orders"),
                        count(when(priced, lit(1))).as("priced_orders"),
                        median(when(priced, col("seats"))).as("median_seats"),
                        round(median(when(priced, seatMonthPrice)), 4).cast("decimal(18,4)")
                                .as("median_seat_month_price_rc"))
                .select(planKey(col("plan")).as("plan_key"), col("plan"), col("first_seen_date"),
                        col("last_seen_date"), col("orders"), col("priced_orders"), col("median_seats"),
                        col("median_seat_month_price_rc"));
        // A global aggregate yields its one row even with no plan-less orders, so the member always exists;
        // a median across whatever plans those orders had would mean nothing, hence none.
        Dataset<Row> unknown = orders.filter(col("plan").isNull()).agg(
                        min("order_date").as("first_seen_date"),
                        max("order_date").as("last_seen_date"),
                        count(lit(1)).as("orders"))
                .select(lit(UNKNOWN).as("plan_key"), lit("unknown").as("plan"), col("first_seen_date"),
                        col("last_seen_date"), col("orders"), lit(0L).as("priced_orders"),
                        lit(null).cast("double").as("median_seats"),
                        lit(null).cast("decimal(18,4)").as("median_seat_month_price_rc"));
        return Built.of(named.unionByName(unknown));
    }
}
