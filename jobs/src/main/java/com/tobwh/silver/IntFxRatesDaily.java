package com.tobwh.silver;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;

/**
 * silver.int_fx_rates__daily: a rate for every day from a currency's first rate on, a missing day taking the
 * latest earlier rate, so money converts with an equi-join. Days before a currency's first rate have no row.
 */
public final class IntFxRatesDaily implements Job {
    @Override
    public String output() {
        return "silver.int_fx_rates__daily";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.stg_fx_rates");
    }

    @Override
    public Incremental incremental() {
        // Rows depend on the run date: the last known rate is carried forward to it.
        return Incremental.always();
    }

    @Override
    public String grain() {
        return "one row per currency and calendar day from its first delivered rate to the run date";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("currency", "rate_date");
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> rates = in.get("silver.stg_fx_rates");
        Dataset<Row> days = rates.groupBy("currency")
                .agg(min("rate_date").as("first_day"), max("rate_date").as("last_day"))
                .select(col("currency"), explode(sequence(col("first_day"),
                        greatest(col("last_day"), lit(java.sql.Date.valueOf(ctx.asOf()))),
                        expr("interval 1 day"))).as("rate_date"));
        Dataset<Row> filled = days.join(rates.withColumnRenamed("rate_date", "known_date")
                                .withColumn("rate_date", col("known_date")),
                        days.col("currency").equalTo(rates.col("currency"))
                                .and(days.col("rate_date").equalTo(col("known_date"))), "left")
                .select(days.col("currency"), days.col("rate_date"), col("rate"), col("known_date"));
        var w = Window.partitionBy("currency").orderBy("rate_date")
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        return Built.of(filled.select(col("currency"), col("rate_date"),
                last("rate", true).over(w).as("rate"),
                last("known_date", true).over(w).as("rate_source_date")));
    }
}
