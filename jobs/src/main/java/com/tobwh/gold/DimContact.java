package com.tobwh.gold;

import com.tobwh.pipeline.Built;
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

    @Override
    public List<String> inputs() {
        return List.of("silver.stg_crm__contacts", "silver.int_touches__combined", "gold.dim_account");
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
        Dataset<Row> firstTouch = in.get("silver.int_touches__combined").groupBy(col("contact_id").as("_ft_contact"))
                .agg(min(struct(col("touch_time"), col("touch_id"), col("channel"))).as("_ft"));
        Dataset<Row> current = in.get("gold.dim_account").filter(col("is_current").and(col("account_id").isNotNull()));
        Dataset<Row> contacts = in.get("silver.stg_crm__contacts");
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
