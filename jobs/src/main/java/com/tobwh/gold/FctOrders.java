package com.tobwh.gold;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trunc;

/**
 * gold.fct_orders: one row per order with net revenue in the reporting currency, its date key and the key of the
 * account's version in force on the order date (SCD2: a change made that day applies).
 */
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
    public List<String> zorderBy() {
        // Revenue questions are per account and by order date inside the month partition.
        return List.of("account_key", "order_date");
    }

    @Override
    public List<Check> checks() {
        return List.of(new Check("net revenue is never negative", col("net_revenue_rc").geq(0)));
    }

    @Override
    public List<ForeignKey> foreignKeys() {
        return List.of(new ForeignKey("account_key", "gold.dim_account"),
                new ForeignKey("order_date_key", "gold.dim_date", "date_key"));
    }

    @Override
    public List<Reconciliation> reconciliations() {
        return List.of(new Reconciliation("orders", "silver.stg_orders", lit(1L), lit(1L)),
                new Reconciliation("net revenue", "silver.stg_orders", col("net_revenue_rc"), col("net_revenue_rc")));
    }

    @Override
    public Incremental incremental() {
        // The account key is the account's version on the order date: a changed account re-keys its orders.
        return Incremental.byKey("order_id")
                .with("silver.stg_orders", Incremental.Rule.column("order_id"))
                .with("gold.dim_account", DimAccount.versionLookup(DimAccount.endOfDay(col("order_date"))))
                .with("gold.dim_date", Incremental.Rule.ignore())
                .reading("gold.dim_account", DimAccount.VERSION_COLUMNS);
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> orders = DimAccount.withVersionAt(in.get("silver.stg_orders"), in.get("gold.dim_account"),
                "account_id", DimAccount.endOfDay(col("order_date")));
        return Built.of(orders.select(col("order_id"), col("account_key"), col("account_id"),
                DimDate.key(col("order_date")).as("order_date_key"), col("order_date"),
                trunc(col("order_date"), "MM").as("order_month"), col("opportunity_id"), col("order_type"),
                col("plan"), col("seats"), col("status"), col("currency"), col("amount"), col("fx_rate"),
                col("amount_rc"), col("net_revenue_rc"), col("service_start"), col("service_end")));
    }
}
