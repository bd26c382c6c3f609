package com.tobwh.silver;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/** silver.stg_fx_rates: one rate per day and currency, the latest delivery winning. */
public final class StgFxRates implements Job {
    @Override
    public String output() {
        return "silver.stg_fx_rates";
    }

    @Override
    public List<String> inputs() {
        return List.of("bronze.fx_rates");
    }

    @Override
    public Incremental incremental() {
        // A restated rate is a new delivery of its (date, currency).
        return Incremental.byKey("rate_date", "currency")
                .with("bronze.fx_rates", Incremental.Rule.columns("date", "currency"));
    }

    @Override
    public String grain() {
        return "one row per rate_date and currency as delivered (latest delivery wins)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("rate_date", "currency");
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> fx = in.get("bronze.fx_rates").withColumnRenamed("date", "rate_date");
        return Built.of(Latest.perKey(fx, List.of("rate_date", "currency"))
                .select(col("rate_date"), col("currency"), col("rate")));
    }
}
