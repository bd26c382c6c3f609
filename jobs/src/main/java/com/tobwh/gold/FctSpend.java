package com.tobwh.gold;

import com.tobwh.config.ChannelRules;
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
import static org.apache.spark.sql.functions.sum;

/** gold.fct_spend: advertising cost per day and campaign, in the reporting currency, with channel and campaign keys. */
public final class FctSpend implements Job {
    @Override
    public String output() {
        return "gold.fct_spend";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.stg_channel_spend", "gold.dim_campaign", "gold.dim_channel", "gold.dim_date");
    }

    @Override
    public String grain() {
        return "one row per day and campaign (date, platform, campaign_id)";
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
    public List<String> zorderBy() {
        // Spend is read by day and per campaign (ROAS joins).
        return List.of("date", "campaign_key");
    }

    @Override
    public List<ForeignKey> foreignKeys() {
        return List.of(new ForeignKey("date_key", "gold.dim_date"), new ForeignKey("campaign_key", "gold.dim_campaign"),
                new ForeignKey("channel_key", "gold.dim_channel"));
    }

    @Override
    public List<Reconciliation> reconciliations() {
        return List.of(
                new Reconciliation("spend rows", "silver.stg_channel_spend", lit(1L), lit(1L)),
                new Reconciliation("cost_rc", "silver.stg_channel_spend", col("cost_rc"), col("cost_rc")));
    }

    @Override
    public List<Check> checks() {
        return List.of(new Check("cost is never negative", col("cost_rc").geq(0)));
    }

    /** Spend per calendar month and channel: the grain the marts join credits to. Column {@code _spend}. */
    public static Dataset<Row> byMonthAndChannel(Dataset<Row> fctSpend) {
        return fctSpend.groupBy(trunc(col("date"), "MM").as("month"), col("channel"))
                .agg(sum("cost_rc").as("_spend"));
    }

    @Override
    public Incremental incremental() {
        // Campaign, channel and date keys are computed from the row's own values, not looked up in the dimensions
        // (read for the foreign-key gates only); a change of channel rules needs a full refresh, as documented.
        return Incremental.byKey("date")
                .with("silver.stg_channel_spend", Incremental.Rule.column("date"))
                .with("gold.dim_campaign", Incremental.Rule.ignore())
                .with("gold.dim_channel", Incremental.Rule.ignore())
                .with("gold.dim_date", Incremental.Rule.ignore());
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        ChannelRules rules = ChannelRules.of(ctx.cfg());
        return Built.of(in.get("silver.stg_channel_spend")
                .withColumn("channel", rules.classify(Map.of("touch_type", lit("spend"), "platform", col("platform"))))
                .select(col("date"), DimDate.key(col("date")).as("date_key"), col("month"),
                        DimCampaign.key(col("campaign_id")).as("campaign_key"),
                        DimChannel.key(col("channel")).as("channel_key"), col("platform"), col("campaign_id"),
                        col("channel"), col("impressions"), col("clicks"), col("cost"), col("currency"),
                        col("fx_rate"), col("cost_rc")));
    }
}
