package com.tobwh.silver;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

/**
 * silver.stg_web_traffic__events: one row per tracker event_id (the tracker retries, so the first delivery is kept),
 * with the URL parts channel rules and sessions need and the reporting-time-zone date.
 */
public final class StgWebTrafficEvents implements Job {
    @Override
    public String output() {
        return "silver.stg_web_traffic__events";
    }

    @Override
    public List<String> inputs() {
        return List.of("bronze.web_traffic");
    }

    @Override
    public Incremental incremental() {
        // Every copy of an event (a tracker retry, a re-delivered file) has its event_time, so an event's first
        // delivery is among the bronze rows of its own day: a night rebuilds the days its deliveries reach (today and
        // the late events') from those days' rows, and Delta skips the other delivery days' files.
        return Incremental.byKey("event_date").with("bronze.web_traffic", Incremental.Rule.dayOf("event_time"));
    }

    @Override
    public String grain() {
        return "one row per event_id (first delivery kept; retries and late copies dropped)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("event_id");
    }

    @Override
    public List<String> partitionBy() {
        return List.of("event_month");
    }

    @Override
    public List<String> zorderBy() {
        // The largest table: read by day, and sessionization groups by device (anonymous_id).
        return List.of("event_date", "anonymous_id");
    }

    @Override
    public List<Metric> metrics() {
        return List.of(new Metric("events landing 1+ days after their own day",
                sum(when(col("landing_delay_days").gt(0), 1).otherwise(0))));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        // First delivery wins: a retry carries the same event, and keeping the earliest keeps lineage stable.
        Column firstDelivery = row_number().over(Window.partitionBy("event_id")
                .orderBy(col("_dt").asc(), col("_file").asc(), col("_line").asc()));
        Dataset<Row> events = in.get("bronze.web_traffic").withColumn("_n", firstDelivery)
                .filter(col("_n").equalTo(1));
        Column eventDate = to_date(col("event_time"));
        return Built.of(events.select(col("event_id"), col("event_time"), eventDate.as("event_date"),
                trunc(eventDate, "MM").as("event_month"), col("anonymous_id"), col("user_id"), col("session_id"),
                col("event_type"), col("page_url"), expr("parse_url(page_url, 'PATH')").as("page_path"),
                col("referrer"),
                regexp_replace(lower(expr("parse_url(referrer, 'HOST')")), "^www\\.", "").as("referrer_host"),
                col("utm_source"), col("utm_medium"), col("utm_campaign"), col("utm_content"), col("utm_term"),
                col("user_agent"), expr("datediff(_dt, to_date(event_time))").as("landing_delay_days"),
                col("_dt").as("delivered_dt"), col("_file"), col("_line")));
    }

}
