package com.tobwh.silver;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * silver.int_campaign_tags__monthly: how many sessions of a month carried a campaign tag, by source and channel.
 * gold.dim_campaign names web-only campaigns from it, reading a few rows per campaign and month instead of every
 * session of the history each night.
 */
public final class IntCampaignTagsMonthly implements Job {
    /** What a tagged session without a utm_source is counted under (the key may not be null). */
    public static final String NOT_SET = "(not set)";

    @Override
    public String output() {
        return "silver.int_campaign_tags__monthly";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.int_sessions__sessionized");
    }

    @Override
    public Incremental incremental() {
        // A month's counts are its sessions', read from that month's partition alone.
        return Incremental.byKey("session_month")
                .with("silver.int_sessions__sessionized", Incremental.Rule.column("session_month"));
    }

    @Override
    public String grain() {
        return "one row per session month, utm_campaign, utm_source and channel";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("session_month", "campaign_id", "utm_source", "channel");
    }

    @Override
    public List<Reconciliation> reconciliations() {
        return List.of(new Reconciliation("tagged sessions", "silver.int_sessions__sessionized",
                when(col("utm_campaign").isNotNull(), 1L).otherwise(0L), col("sessions")));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        return Built.of(in.get("silver.int_sessions__sessionized").filter(col("utm_campaign").isNotNull())
                .groupBy(col("session_month"), col("utm_campaign").as("campaign_id"),
                        coalesce(col("utm_source"), lit(NOT_SET)).as("utm_source"), col("channel"))
                .agg(count(lit(1)).as("sessions")));
    }
}
