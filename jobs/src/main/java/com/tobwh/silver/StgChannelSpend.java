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
import static org.apache.spark.sql.functions.trunc;

/**
 * silver.stg_channel_spend: one row per day, platform and campaign, the latest delivery winning (platforms restate
 * earlier days), cost converted at that day's rate.
 */
public final class StgChannelSpend implements Job {
    private static final String FX = "silver.int_fx_rates__daily";

    @Override
    public String output() {
        return "silver.stg_channel_spend";
    }

    @Override
    public List<String> inputs() {
        return List.of("bronze.channel_spend", FX);
    }

    @Override
    public String grain() {
        return "one row per (date, platform, campaign_id), latest delivery; cost also in the reporting currency";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("date", "platform", "campaign_id");
    }

    @Override
    public List<String> partitionBy() {
        return List.of("month");
    }

    @Override
    public Incremental incremental() {
        // A day's rows are rebuilt from all deliveries of that day (restatements included) at that day's rate.
        return Incremental.byKey("date")
                .with("bronze.channel_spend", Incremental.Rule.column("date"))
                .with(FX, Incremental.Rule.column("rate_date"));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> spend = Latest.perKey(in.get("bronze.channel_spend"), List.of("date", "platform", "campaign_id"));
        FxConversion.Result fx = FxConversion.convert(spend, in.get(FX), col("date"),
                ctx.cfg().reportingCurrency, ctx.runId(), "channel_spend", "channel_spend", incremental().keyValue());
        return new Built(fx.converted().select(col("date"), trunc(col("date"), "MM").as("month"), col("platform"),
                col("campaign_id"), col("campaign_name"), col("impressions"), col("clicks"), col("cost"),
                col("currency"), col("fx_rate"), FxConversion.toReporting(col("cost")).as("cost_rc"),
                col("_dt").as("delivered_dt"), col("_file"), col("_line")), fx.refused());
    }
}
