package com.tobwh.gold;

import com.tobwh.config.ChannelRules;
import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import com.tobwh.pipeline.Using;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

/**
 * gold.dim_campaign: every campaign, from the ad platforms' spend (platform, name, channel by the rules) and from
 * campaign tags seen only on the web (e-mail and the like: platform = utm_source, channel = its sessions' usual one,
 * counted over every month of silver.int_campaign_tags__monthly).
 * campaign_id is the natural key: the platforms' ids do not collide.
 */
public final class DimCampaign implements Job {
    @Override
    public String output() {
        return "gold.dim_campaign";
    }

    private static final String SPEND = "silver.stg_channel_spend";
    private static final String TAGS = "silver.int_campaign_tags__monthly";

    @Override
    public List<String> inputs() {
        return List.of(SPEND, TAGS);
    }

    @Override
    public Incremental incremental() {
        // A campaign's first day is a fold over its spend in time order, like a contact's first touch; its last day
        // and the name it had then are the latest rows, which the spend from the night's earliest change on holds
        // whenever the campaign has any. So a night reads the spend from that day on and takes the first day, and
        // the last one when no later row came, from the table (Incremental.resuming), rather than every spend row
        // of the history: every running campaign has spend every night. A campaign whose last day's rows are gone
        // is rebuilt from all its spend (keepingLatest). Its tag counts are read whole: the winning source is a
        // sum over every month, which the table does not hold.
        return Incremental.byKey("campaign_id")
                .with(SPEND, Incremental.Rule.column("campaign_id"))
                .with(TAGS, Incremental.Rule.column("campaign_id"))
                .resuming(new Incremental.Resume(SPEND, "date", "month", "first_spend_date").alongside(TAGS)
                        .keepingLatest("last_spend_date"))
                // A restated cost is no change to a campaign.
                .reading(SPEND, "date", "month", "platform", "campaign_id", "campaign_name");
    }

    @Override
    public String grain() {
        return "one row per campaign_id (spend or utm_campaign); -1 = unknown";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("campaign_key");
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        ChannelRules rules = ChannelRules.of(ctx.cfg());
        Dataset<Row> days = in.get(SPEND).select(col("campaign_id"), lit(true).as("_read"),
                col("date").as("_first"), col("date"), col("platform"), col("campaign_name"));
        if (in.containsKey(output())) {
            // Resumed: the table's first day is earlier than every spend row read; its last day and name count only
            // when no row was read (a spend row read is later than every row behind the table's).
            days = days.unionByName(in.get(output()).select(col("campaign_id"), lit(false).as("_read"),
                    col("first_spend_date").as("_first"), col("last_spend_date").as("date"), col("platform"),
                    col("campaign_name")));
        }
        // The latest name a platform used for the campaign.
        Dataset<Row> spend = days.groupBy("campaign_id").agg(
                max(struct(col("_read"), col("date"), col("platform"), col("campaign_name"))).as("_last"),
                min("_first").as("first_spend_date"));
        Dataset<Row> fromSpend = spend.select(col("campaign_id"), col("_last.platform").as("platform"),
                col("_last.campaign_name").as("campaign_name"),
                rules.classify(Map.of("touch_type", lit("spend"), "platform", col("_last.platform"))).as("channel"),
                lit("channel_spend").as("source"), col("first_spend_date"), col("_last.date").as("last_spend_date"));
        Dataset<Row> tagged = in.get(TAGS)
                .groupBy(col("campaign_id"), col("utm_source"), col("channel")).agg(sum("sessions").as("_sessions"));
        Dataset<Row> fromWeb = tagged
                .withColumn("_rank", row_number().over(Window.partitionBy("campaign_id")
                        .orderBy(col("_sessions").desc(), col("channel"), col("utm_source"))))
                .filter(col("_rank").equalTo(1))
                .join(fromSpend.select("campaign_id"), Using.columns("campaign_id"), "left_anti")
                .select(col("campaign_id"), col("utm_source").as("platform"), col("campaign_id").as("campaign_name"),
                        col("channel"), lit("utm_campaign").as("source"), lit(null).cast("date").as("first_spend_date"),
                        lit(null).cast("date").as("last_spend_date"));
        Dataset<Row> unknown = SparkSession.active().sql("""
                SELECT CAST(-1 AS BIGINT) AS campaign_key, CAST(NULL AS STRING) AS campaign_id,
                       'unknown' AS platform, 'unknown' AS campaign_name, 'unknown' AS channel,
                       CAST(-1 AS BIGINT) AS channel_key, 'none' AS source,
                       CAST(NULL AS DATE) AS first_spend_date, CAST(NULL AS DATE) AS last_spend_date
                """);
        Column[] shape = {Keys.surrogate(col("campaign_id")).as("campaign_key"), col("campaign_id"), col("platform"),
            col("campaign_name"), col("channel"), DimChannel.key(col("channel")).as("channel_key"), col("source"),
            col("first_spend_date"), col("last_spend_date")};
        return Built.of(fromSpend.unionByName(fromWeb).select(shape).unionByName(unknown));
    }

    /** The key of a campaign id, computed the way this dimension computes it; -1 when there is none. */
    public static Column key(Column campaignId) {
        return when(campaignId.isNull(), lit(Keys.UNKNOWN)).otherwise(Keys.surrogate(campaignId));
    }
}
