package com.tobwh.gold;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

/**
 * gold.dim_contact: one row per live CRM contact with its current account and its first touch (the channel that
 * brought the lead); the e-mail is reduced to its domain, which is what analysis needs.
 */
public final class DimContact implements Job {
    @Override
    public String output() {
        return "gold.dim_contact";
    }

    private static final String CONTACTS = "silver.stg_crm__contacts";
    private static final String TOUCHES = "silver.int_touches__combined";
    private static final String ACCOUNTS = "gold.dim_account";

    @Override
    public List<String> inputs() {
        return List.of(CONTACTS, TOUCHES, ACCOUNTS);
    }

    @Override
    public Incremental incremental() {
        // A contact's row is its CRM row, its account's current key and its earliest touch. The earliest touch is a
        // fold over the contact's touches in time order, so a night reads the touches from its earliest changed one
        // on and keeps the first touch the table holds when it is earlier (Incremental.resuming), rather than every
        // touch of the history for the night's contacts. The CRM row and the account are read whole for the keys.
        // The unknown member has no contact_id, so no key reaches it: written by the first build, it stays.
        return Incremental.byKey("contact_id")
                .with(CONTACTS, Incremental.Rule.column("contact_id"))
                .with(TOUCHES, Incremental.Rule.column("contact_id"))
                .with(ACCOUNTS, Incremental.Rule.viaOutput("account_id", "account_id"))
                .resuming(new Incremental.Resume(TOUCHES, "touch_time", "touch_month", "first_touch_at")
                        .alongside(CONTACTS, ACCOUNTS))
                // A touch's renumbering or re-keyed account is no change to a contact's first touch; an account's new
                // version is one only when it becomes the current one.
                .reading(TOUCHES, "touch_id", "contact_id", "touch_time", "touch_month", "channel")
                .reading(ACCOUNTS, "account_id", "account_key", "is_current");
    }

    @Override
    public String grain() {
        return "one row per live contact_id; -1 = unknown";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("contact_key");
    }

    @Override
    public List<ForeignKey> foreignKeys() {
        return List.of(new ForeignKey("account_key", "gold.dim_account"));
    }

    /** The columns a fact's lookup of the contact key reads (see Incremental#reading). */
    public static final String[] KEY_COLUMNS = {"contact_id", "contact_key"};

    /** The key of a contact id, computed the way this dimension computes it; -1 when there is none. */
    public static Column key(Column contactId) {
        return when(contactId.isNull(), lit(Keys.UNKNOWN)).otherwise(Keys.surrogate(contactId));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> touches = in.get(TOUCHES).select(col("contact_id"), col("touch_time"), col("touch_id"),
                col("channel"));
        if (in.containsKey(output())) {
            // Resumed: the first touches the table holds, all earlier than every touch read (so no tie with one).
            touches = touches.unionByName(in.get(output()).select(col("contact_id"),
                    col("first_touch_at").as("touch_time"), lit("").as("touch_id"),
                    col("first_touch_channel").as("channel")));
        }
        Dataset<Row> firstTouch = touches.groupBy(col("contact_id").as("_ft_contact"))
                .agg(min(struct(col("touch_time"), col("touch_id"), col("channel"))).as("_ft"));
        Dataset<Row> current = in.get(ACCOUNTS).filter(col("is_current").and(col("account_id").isNotNull()));
        Dataset<Row> contacts = in.get(CONTACTS);
        Dataset<Row> joined = Keys.lookup(contacts, current, "account_id", "account_id", "account_key")
                .join(firstTouch, col("contact_id").equalTo(col("_ft_contact")), "left");
        Dataset<Row> unknown = SparkSession.active().sql("""
                SELECT CAST(-1 AS BIGINT) AS contact_key, CAST(NULL AS STRING) AS contact_id,
                       CAST(NULL AS STRING) AS account_id, CAST(-1 AS BIGINT) AS account_key,
                       CAST(NULL AS STRING) AS email_domain, CAST(NULL AS STRING) AS lead_source,
                       CAST(NULL AS TIMESTAMP) AS created_at, CAST(NULL AS DATE) AS created_date,
                       CAST(NULL AS TIMESTAMP) AS first_touch_at, 'unknown' AS first_touch_channel
                """);
        return Built.of(joined.select(key(col("contact_id")).as("contact_key"), col("contact_id"), col("account_id"),
                col("account_key"),
                when(col("email").contains("@"), regexp_extract(col("email"), "@(.+)$", 1)).as("email_domain"),
                col("lead_source"), col("created_at"), to_date(col("created_at")).as("created_date"),
                col("_ft.touch_time").as("first_touch_at"), col("_ft.channel").as("first_touch_channel"))
                .unionByName(unknown));
    }
}
