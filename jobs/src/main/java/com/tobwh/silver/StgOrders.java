package com.tobwh.silver;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * silver.stg_orders: each order's latest delivery, converted to the reporting currency at its order_date's rate;
 * an order with no rate on or before that date is refused (silver.rejects), never converted at zero.
 */
public final class StgOrders implements Job {
    private static final String FX = "silver.int_fx_rates__daily";

    @Override
    public String output() {
        return "silver.stg_orders";
    }

    @Override
    public List<String> inputs() {
        return List.of("bronze.orders", FX);
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
    public Incremental incremental() {
        // An order's deliveries are all read together (the latest wins, whatever its order_date). A rate arriving
        // for a date reaches every order dated that day, also those refused last time for want of it.
        return Incremental.byKey("order_id")
                .with("bronze.orders", Incremental.Rule.column("order_id"))
                .with(FX, Incremental.Rule.viaInput("bronze.orders", col("order_date"), "rate_date"));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> orders = Latest.perKey(in.get("bronze.orders"), List.of("order_id"));
        FxConversion.Result fx = FxConversion.convert(orders, in.get(FX), col("order_date"),
                ctx.cfg().reportingCurrency, ctx.runId(), "orders", "orders", incremental().keyValue());
        Column amountRc = FxConversion.toReporting(col("amount"));
        Dataset<Row> ok = fx.converted().select(
                col("order_id"), col("account_id"), col("opportunity_id"), col("order_date"), col("order_type"),
                col("plan"), col("seats"), col("status"), col("amount"), col("currency"), col("fx_rate"),
                amountRc.as("amount_rc"),
                when(col("status").equalTo("paid"), amountRc).otherwise(lit(0).cast("decimal(18,4)"))
                        .as("net_revenue_rc"),
                col("service_start"), col("service_end"), col("_file"), col("_line"));
        return new Built(ok, fx.refused());
    }
}
