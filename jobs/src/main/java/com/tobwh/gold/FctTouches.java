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

/** gold.fct_touches: every marketing touch (web session or offline origin) of a known account, in journey order. */
public final class FctTouches implements Job {
    @Override
    public String output() {
        return "gold.fct_touches";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.int_touches__combined", "gold.dim_account", "gold.dim_contact", "gold.dim_channel",
                "gold.dim_campaign", "gold.dim_date");
    }

    @Override
    public Incremental incremental() {
        // A fact row is its touch's row with dimension keys (the journey's numbering is int_touches__combined's),
        // so only the touches that changed are rebuilt, read from their months alone.
        return Incremental.byKey("touch_month", "touch_id")
                .with("silver.int_touches__combined", Incremental.Rule.inPartition("touch_month", "touch_id"))
                .with("gold.dim_account", DimAccount.versionLookup(col("touch_time")))
                .with("gold.dim_contact", Incremental.Rule.viaOutput("contact_id", "contact_id"))
                .with("gold.dim_channel", Incremental.Rule.ignore())
                .with("gold.dim_campaign", Incremental.Rule.ignore())
                .with("gold.dim_date", Incremental.Rule.ignore())
                .reading("gold.dim_account", DimAccount.VERSION_COLUMNS)
                .reading("gold.dim_contact", DimContact.KEY_COLUMNS);
    }

    @Override
    public String grain() {
        return "one row per touch (web:<session_id> | offline:<contact_id>)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("touch_id");
    }

    @Override
    public List<String> partitionBy() {
        return List.of("touch_month");
    }

    @Override
    public List<String> zorderBy() {
        // Journeys are read per account, in touch order.
        return List.of("account_key", "touch_date");
    }

    @Override
    public List<ForeignKey> foreignKeys() {
        return List.of(new ForeignKey("touch_date_key", "gold.dim_date", "date_key"),
                new ForeignKey("account_key", "gold.dim_account"), new ForeignKey("contact_key", "gold.dim_contact"),
                new ForeignKey("channel_key", "gold.dim_channel"), new ForeignKey("campaign_key", "gold.dim_campaign"));
    }

    @Override
    public List<Reconciliation> reconciliations() {
        return List.of(new Reconciliation("touches", "silver.int_touches__combined", lit(1L), lit(1L)));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> touches = Keys.lookup(in.get("silver.int_touches__combined"), in.get("gold.dim_contact"),
                "contact_id", "contact_id", "contact_key");
        return Built.of(DimAccount.withVersionAt(touches, in.get("gold.dim_account"), "account_id", col("touch_time"))
                .select(col("touch_id"), DimDate.key(col("touch_date")).as("touch_date_key"), col("touch_date"),
                        col("touch_month"), col("touch_time"), col("touch_type"), col("contact_key"),
                        col("account_key"), DimChannel.key(col("channel")).as("channel_key"),
                        DimCampaign.key(col("campaign_id")).as("campaign_key"), col("channel"), col("contact_id"),
                        col("account_id"), col("campaign_id"), col("session_id"), col("lead_source"),
                        col("account_touch_number"), col("is_first_account_touch"),
                        col("days_since_first_account_touch"),
                        col("contact_touch_number")));
    }
}
