package com.tobwh.silver;

import com.tobwh.bronze.BronzeValidation;
import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

/**
 * silver.stg_orders: each order's latest delivery, converted to the reporting currency at its order_date's rate;
 * an order with no rate on or before that date is refused (silver.rejects), never converted at zero.
 */
public final class StgOrders implements Job {
    @Override
    public String output() {
        return "silver.stg_orders";
    }

    @Override
    public List<String> inputs() {
        return List.of("bronze.orders", "silver.int_fx_rates__daily");
    }

    @Override
    public String grain() {
        return "one row per order_id (latest delivery), money in the reporting currency";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("order_id");
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> orders = Latest.perKey(in.get("bronze.orders"), List.of("order_id"));
        Dataset<Row> fx = in.get("silver.int_fx_rates__daily")
                .select(col("currency").as("fx_currency"), col("rate_date"), col("rate"));
        String reporting = ctx.cfg().reportingCurrency;
        Dataset<Row> joined = orders.join(fx, orders.col("currency").equalTo(col("fx_currency"))
                        .and(orders.col("order_date").equalTo(col("rate_date"))), "left")
                .withColumn("fx_rate", when(col("currency").equalTo(reporting), lit(1).cast("decimal(28,10)"))
                        .otherwise(col("rate")));
        Column amountRc = round(col("amount").multiply(col("fx_rate")), 4).cast("decimal(18,4)");
        Dataset<Row> ok = joined.filter(col("fx_rate").isNotNull()).select(
                col("order_id"), col("account_id"), col("opportunity_id"), col("order_date"), col("order_type"),
                col("plan"), col("seats"), col("status"), col("amount"), col("currency"), col("fx_rate"),
                amountRc.as("amount_rc"),
                when(col("status").equalTo("paid"), amountRc).otherwise(lit(0).cast("decimal(18,4)"))
                        .as("net_revenue_rc"),
                col("service_start"), col("service_end"), col("_file"), col("_line"));
        Dataset<Row> refused = joined.filter(col("fx_rate").isNull()).select(BronzeValidation.rejectRow(ctx.runId(),
                lit("orders"), lit("orders"), col("_file"), col("_line"),
                to_json(struct(java.util.Arrays.stream(orders.columns()).filter(c -> !c.startsWith("_"))
                        .map(orders::col).toArray(Column[]::new))),
                concat(lit("no " + reporting + " rate for "), col("currency"), lit(" on or before "),
                        date_format(col("order_date"), "yyyy-MM-dd"), lit(" in fx_rates")),
                col("_dt")));
        return new Built(ok, refused);
    }
}
