package com.tobwh.silver;

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
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * silver.int_identity__stitched: which contact each anonymous_id (device) stands for, and since when.
 *
 * <p>The rule, also in the README: a device belongs to the contact who most recently identified on it (its
 * {@code user_id}); everything before its first identification belongs to the first contact, so earlier anonymous
 * visits join the journey. A device used by two contacts (colleagues sharing a computer) is a conflict: it is split
 * into intervals at each change of user and counted, not hidden.
 */
public final class IntIdentityStitched implements Job {
    private static final String EVENTS = "silver.stg_web_traffic__events";

    @Override
    public String output() {
        return "silver.int_identity__stitched";
    }

    @Override
    public List<String> inputs() {
        return List.of(EVENTS);
    }

    @Override
    public Incremental incremental() {
        // Anonymous events never change a device's intervals: only identified ones (before or after a change)
        // name their device, and the rebuild resumes from the earliest of them.
        return Incremental.byKey("anonymous_id")
                .with(EVENTS, Incremental.Rule.keys(ctx -> when(col("user_id").isNotNull(), col("anonymous_id"))))
                .resuming(new Incremental.Resume(EVENTS, "event_time", "event_month", "identified_at"));
    }

    @Override
    public String grain() {
        return "one row per anonymous_id and interval of one identified contact (valid_from null = since the start)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("anonymous_id", "interval_number");
    }

    @Override
    public List<Metric> metrics() {
        return List.of(
                new Metric("identified devices", sum(when(col("interval_number").equalTo(1), 1).otherwise(0))),
                new Metric("identity conflicts (devices with 2+ contacts)",
                        sum(when(col("interval_number").equalTo(1).and(col("is_conflict")), 1).otherwise(0))));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        // A night resumes from the intervals that start before its earliest changed event (Incremental.resuming):
        // they stand for the events before it, since each of those events has the user of the last start before
        // it. Their order among themselves is their number; they all come before the events read.
        WindowSpec byTime = Window.partitionBy("anonymous_id")
                .orderBy(col("event_time"), col("_carried"), col("event_id"));
        WindowSpec device = Window.partitionBy("anonymous_id");
        Dataset<Row> identified = in.get(EVENTS).filter(col("user_id").isNotNull())
                .select(col("anonymous_id"), col("user_id"), col("event_time"), col("event_id"),
                        lit(null).cast("int").as("_carried"));
        if (in.containsKey(output())) {
            identified = identified.unionByName(in.get(output()).select(col("anonymous_id"),
                    col("contact_id").as("user_id"), col("identified_at").as("event_time"),
                    lit(null).cast("string").as("event_id"), col("interval_number").as("_carried")));
        }
        // An interval starts wherever the device's user differs from the one before.
        Dataset<Row> starts = identified
                .withColumn("_previous", lag("user_id", 1).over(byTime))
                .filter(col("_previous").isNull().or(col("_previous").notEqual(col("user_id"))))
                .withColumn("contacts_on_device", size(collect_set("user_id").over(device)));
        Column number = row_number().over(byTime);
        return Built.of(starts.select(
                col("anonymous_id"), number.as("interval_number"), col("user_id").as("contact_id"),
                col("event_time").as("identified_at"),
                when(number.equalTo(1), lit(null).cast("timestamp")).otherwise(col("event_time")).as("valid_from"),
                lead("event_time", 1).over(byTime).as("valid_to"),
                col("contacts_on_device").cast("int").as("contacts_on_device"),
                col("contacts_on_device").gt(1).as("is_conflict")));
    }

}
