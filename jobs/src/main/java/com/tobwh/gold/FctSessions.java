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

/** gold.fct_sessions: one row per web session with its channel, campaign, contact and account (version at the time). */
public final class FctSessions implements Job {
    @Override
    public String output() {
        return "gold.fct_sessions";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.int_sessions__sessionized", "gold.dim_account", "gold.dim_contact", "gold.dim_channel",
                "gold.dim_campaign", "gold.dim_date");
    }

    @Override
    public Incremental incremental() {
        // A fact row is its session's row with dimension keys, so only the sessions that changed are rebuilt, read
        // from their months alone. Channel, campaign and date keys are computed from natural keys, so those
        // dimensions only serve the gates.
        return Incremental.byKey("session_month", "session_id")
                .with("silver.int_sessions__sessionized",
                        Incremental.Rule.inPartition("session_month", "session_id"))
                .with("gold.dim_account", DimAccount.versionLookup(col("session_start")))
                .with("gold.dim_contact", Incremental.Rule.viaOutput("contact_id", "contact_id"))
                .with("gold.dim_channel", Incremental.Rule.ignore())
                .with("gold.dim_campaign", Incremental.Rule.ignore())
                .with("gold.dim_date", Incremental.Rule.ignore())
                .reading("gold.dim_account", DimAccount.VERSION_COLUMNS)
                .reading("gold.dim_contact", DimContact.KEY_COLUMNS);
    }

    @Override
    public String grain() {
        return "one row per web session";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("session_id");
    }

    @Override
    public List<String> partitionBy() {
        return List.of("session_month");
    }

    @Override
    public List<String> zorderBy() {
        // Sessions are read by day and joined to accounts.
        return List.of("session_date", "account_key");
    }

    @Override
    public List<ForeignKey> foreignKeys() {
        return List.of(new ForeignKey("session_date_key", "gold.dim_date", "date_key"),
                new ForeignKey("account_key", "gold.dim_account"), new ForeignKey("contact_key", "gold.dim_contact"),
                new ForeignKey("channel_key", "gold.dim_channel"), new ForeignKey("campaign_key", "gold.dim_campaign"));
    }

    @Override
    public List<Reconciliation> reconciliations() {
        return List.of(new Reconciliation("sessions", "silver.int_sessions__sessionized", lit(1L), lit(1L)),
                new Reconciliation("events", "silver.int_sessions__sessionized", col("event_count"),
                        col("event_count")));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> sessions = in.get("silver.int_sessions__sessionized");
        // A contact unknown to the CRM keeps its id on the fact but has no dimension row: unknown member.
        Dataset<Row> known = Keys.lookup(sessions, in.get("gold.dim_contact"), "contact_id", "contact_id",
                "contact_key");
        return Built.of(DimAccount.withVersionAt(known, in.get("gold.dim_account"), "account_id",
                        col("session_start"))
                .select(col("session_id"), DimDate.key(col("session_date")).as("session_date_key"),
                        col("session_date"), col("session_month"), col("session_start"), col("session_end"),
                        col("duration_seconds"), col("anonymous_id"), col("contact_key"), col("account_key"),
                        DimChannel.key(col("channel")).as("channel_key"),
                        DimCampaign.key(col("utm_campaign")).as("campaign_key"), col("channel"), col("contact_id"),
                        col("account_id"), col("landing_path"), col("referrer_host"), col("utm_source"),
                        col("utm_medium"), col("utm_campaign"), col("event_count"), col("pageviews"),
                        col("conversion_events"), col("session_id_source"), col("identity_source"),
                        col("contact_id").isNotNull().as("is_identified")));
    }
}
