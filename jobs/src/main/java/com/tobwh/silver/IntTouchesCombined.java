package com.tobwh.silver;

import com.tobwh.config.ChannelRules;
import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

/**
 * silver.int_touches__combined: every marketing touch of a known account, web sessions and offline CRM origins alike,
 * with its channel and its place in the account's journey (attribution reads this).
 *
 * <p>A web touch is a session of an identified (or stitched) contact whose CRM account is known. An offline touch is a
 * contact's {@code created_at} where sales recorded a {@code lead_source}; its channel comes from the same rules.
 */
public final class IntTouchesCombined implements Job {
    private static final String SESSIONS = "silver.int_sessions__sessionized";
    private static final String CONTACTS = "silver.stg_crm__contacts";

    @Override
    public String output() {
        return "silver.int_touches__combined";
    }

    @Override
    public List<String> inputs() {
        return List.of(SESSIONS, CONTACTS);
    }

    @Override
    public Incremental incremental() {
        // Touches are numbered within the account's journey, so an account's touches are rebuilt together. No column
        // depends on the touches after a row (no journey length, no "is last" flag), so a night's new last touch
        // leaves the account's earlier rows as they were, and the netted change feed downstream holds only it.
        // For the same reason a night resumes from its earliest changed touch: it reads the sessions and contacts
        // from then on and takes the account's touches before from the table (Incremental.resuming), instead of
        // scanning every session of the history for its accounts. The touches before the resume point come out as
        // the table holds them, so only the ones from then on are written: the replace neither compares nor
        // rewrites the files of the accounts' earlier months.
        return Incremental.byKey("account_id")
                .with(SESSIONS, Incremental.Rule.column("account_id"))
                // A contact without a lead source is no touch: its changes (most nights' new contacts) reach none.
                .with(CONTACTS, Incremental.Rule.keys(ctx -> when(col("lead_source").isNotNull(), col("account_id"))))
                .resuming(new Incremental.Resume(List.of(
                        new Incremental.From(SESSIONS, "session_start", "session_month"),
                        new Incremental.From(CONTACTS, "created_at", null)), "touch_time").writingFromResumePoint())
                // The columns the touches are made of: a session's new last event or a contact's new title is none.
                .reading(SESSIONS, "session_id", "session_start", "session_month", "contact_id", "account_id",
                        "channel", "utm_campaign")
                .reading(CONTACTS, "contact_id", "account_id", "lead_source", "created_at");
    }

    @Override
    public String grain() {
        return "one row per touch: web session (web:<session_id>) or offline origin of a contact (offline:<contact_id>)";
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
        // Attribution reads touches per account before the conversion date.
        return List.of("account_id", "touch_date");
    }

    @Override
    public List<Check> checks() {
        return List.of(new Check("a touch has an account and a contact",
                col("account_id").isNotNull().and(col("contact_id").isNotNull())));
    }

    @Override
    public List<Metric> metrics() {
        return List.of(
                new Metric("offline touches", sum(when(col("touch_type").equalTo("offline"), 1).otherwise(0))),
                new Metric("offline touches no rule matched (channel 'other')",
                        sum(when(col("touch_type").equalTo("offline").and(col("channel").equalTo("other")), 1)
                                .otherwise(0))));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        ChannelRules rules = ChannelRules.of(ctx.cfg());
        Dataset<Row> web = in.get(SESSIONS).filter(col("account_id").isNotNull()).select(
                concat(lit("web:"), col("session_id")).as("touch_id"), lit("web").as("touch_type"),
                col("session_start").as("touch_time"), col("contact_id"), col("account_id"), col("channel"),
                col("utm_campaign").as("campaign_id"), col("session_id"), lit(null).cast("string").as("lead_source"));
        Dataset<Row> offline = in.get(CONTACTS).filter(col("lead_source").isNotNull()).select(
                concat(lit("offline:"), col("contact_id")).as("touch_id"), lit("offline").as("touch_type"),
                col("created_at").as("touch_time"), col("contact_id"), col("account_id"),
                rules.classify(Map.of("touch_type", lit("offline"), "lead_source", col("lead_source"))).as("channel"),
                lit(null).cast("string").as("campaign_id"), lit(null).cast("string").as("session_id"),
                col("lead_source"));
        Dataset<Row> touches = web.unionByName(offline);
        if (in.containsKey(output())) {
            // Resumed: the accounts' touches before the earliest change, as the table holds them, number the ones
            // read after them (and are not written again).
            touches = touches.unionByName(in.get(output()).select(
                    java.util.Arrays.stream(web.columns()).map(c -> col(c)).toArray(Column[]::new)));
        }
        WindowSpec journey = Window.partitionBy("account_id").orderBy(col("touch_time"), col("touch_id"));
        Column number = row_number().over(journey);
        Column touchDate = to_date(col("touch_time"));
        return Built.of(touches.select(
                col("touch_id"), col("touch_type"), col("touch_time"), touchDate.as("touch_date"),
                trunc(touchDate, "MM").as("touch_month"), col("contact_id"), col("account_id"), col("channel"),
                col("campaign_id"), col("session_id"), col("lead_source"),
                number.cast("int").as("account_touch_number"), number.equalTo(1).as("is_first_account_touch"),
                datediff(touchDate, to_date(first(col("touch_time")).over(journey))).as("days_since_first_account_touch"),
                row_number().over(Window.partitionBy("contact_id").orderBy(col("touch_time"), col("touch_id")))
                        .cast("int").as("contact_touch_number")));
    }
}
