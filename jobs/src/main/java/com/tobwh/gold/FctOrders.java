package com.tobwh.gold;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trunc;

/** gold.fct_orders: one row per order with net revenue in the reporting currency and its account and date keys. */
public final class FctOrders implements Job {
    @Override
    public String output() {
        return "gold.fct_orders";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.stg_orders", "gold.dim_account", "gold.dim_date");
    }

    @Override
    public String grain() {
        return "one row per order_id; net_revenue_rc = amount_rc when paid, else 0 (bookings on order_date)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("order_id");
    }

    @Override
    public List<String> partitionBy() {
        return List.of("order_month");
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("account_key resolves (or is the unknown member -1)", col("account_key").isNotNull()),
                new Check("order_date_key resolves", col("order_date_key").isNotNull()),
                new Check("net revenue is never negative", col("net_revenue_rc").geq(0)));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> orders = in.get("silver.stg_orders");
        Dataset<Row> accounts = in.get("gold.dim_account").filter(col("account_id").isNotNull())
                .select(col("account_id").as("dim_account_id"), col("account_key"));
        Dataset<Row> dates = in.get("gold.dim_date").filter(col("date").isNotNull())
                .select(col("date").as("dim_date"), col("date_key"));
        return Built.of(orders
                .join(broadcast(accounts), orders.col("account_id").equalTo(col("dim_account_id")), "left")
                .join(broadcast(dates), orders.col("order_date").equalTo(col("dim_date")), "left")
                .select(col("order_id"),
                        coalesce(col("account_key"), lit(DimAccount.UNKNOWN)).as("account_key"),
                        col("account_id"),
                        coalesce(col("date_key"), lit(DimDate.UNKNOWN)).as("order_date_key"),
                        col("order_date"), trunc(col("order_date"), "MM").as("order_month"),
                        col("opportunity_id"), col("order_type"), col("plan"), col("seats"), col("status"),
                        col("currency"), col("amount"), col("fx_rate"), col("amount_rc"), col("net_revenue_rc"),
                        col("service_start"), col("service_end")));
    }
}
