package com.tobwh.silver;

import com.tobwh.config.ChannelRules;
import com.tobwh.io.DeltaTables;
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

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

/**
 * silver.int_sessions__sessionized: tracker events grouped into sessions, each stamped with its first event's landing
 * page, referrer and campaign tags, its channel (channel rules), and the contact and account it belongs to.
 *
 * <p>The tracker's session_id defines a session. An event that lost its session_id continues the device's previous
 * session unless the device was idle longer than {@code sessionIdleMinutes}; otherwise it opens a new session with an
 * id made from the device and the time ({@code gen_<anonymous_id>_<yyyyMMddHHmmss>}). The contact is the first
 * user_id seen in the session itself, else the device's stitched contact at the session start
 * (int_identity__stitched); the account is that contact's current CRM account, so a contact moved between accounts
 * takes its history along.
 */
public final class IntSessionsSessionized implements Job {
    private static final List<String> CONVERSION_EVENTS = List.of("form_submit", "signup", "demo_request");

    @Override
    public String output() {
        return "silver.int_sessions__sessionized";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.stg_web_traffic__events", "silver.int_identity__stitched", "silver.stg_crm__contacts");
    }

    /**
     * A session, and a run of events no more than the idle gap apart, lasts less than this. A night rebuilds a
     * device's sessions of a month from its events of that month and this much either side, so the gate below
     * fails a run that meets a longer session rather than let a night cut it where a full refresh would not.
     */
    static final int MAX_SESSION_HOURS = 24;

    @Override
    public Incremental incremental() {
        // Sessions are cut per device from the events near them: a changed event reaches its device's sessions of
        // the months within a day of it, which are rebuilt from those months' events alone. A change of the
        // device's identity or of a contact's account (e.g. a move to another account) reaches the sessions of
        // every month it labels, found in this table.
        return Incremental.byKey("session_month", "anonymous_id")
                .with("silver.stg_web_traffic__events", new Incremental.Rule.Keys(
                        ctx -> monthsNear(col("event_time"), col("anonymous_id")),
                        (ctx, keys) -> eventsOf(DeltaTables.partitionsOf(keys), ctx.cfg().zone())))
                .with("silver.int_identity__stitched", Incremental.Rule.viaOutput("anonymous_id", "anonymous_id"))
                .with("silver.stg_crm__contacts", Incremental.Rule.viaOutput("contact_id", "contact_id"))
                .reading("silver.stg_crm__contacts", "contact_id", "account_id");
    }

    /**
     * The keys (month|device) an event is read for: its own month's, and those of the months a session or run of
     * events within {@link #MAX_SESSION_HOURS} of it starts in (the one before, when it is early in its month) or
     * reads it for (the one after, when it is late in its month).
     */
    static Column monthsNear(Column time, Column device) {
        Column margin = expr("INTERVAL " + MAX_SESSION_HOURS + " HOURS");
        return array_distinct(array(monthKey(time.minus(margin), device), monthKey(time, device),
                monthKey(time.plus(margin), device)));
    }

    private static Column monthKey(Column time, Column device) {
        return concat_ws("|", trunc(to_date(time), "MM").cast("string"), device);
    }

    /**
     * The events a rebuild of these months reads, as a condition Delta prunes by: their month partitions and the
     * ones either side, and within those the time from each month's start less the margin to its end plus it.
     */
    static Column eventsOf(java.util.Collection<String> months, java.time.ZoneId zone) {
        java.util.Set<java.sql.Date> partitions = new java.util.TreeSet<>();
        Column within = null;
        for (String m : months) {
            java.time.LocalDate month = java.time.LocalDate.parse(m);
            for (int d = -1; d <= 1; d++) {
                partitions.add(java.sql.Date.valueOf(month.plusMonths(d)));
            }
            Column range = col("event_time").geq(lit(java.sql.Timestamp.from(month.atStartOfDay(zone).toInstant()
                            .minus(java.time.Duration.ofHours(MAX_SESSION_HOURS)))))
                    .and(col("event_time").lt(lit(java.sql.Timestamp.from(month.plusMonths(1).atStartOfDay(zone)
                            .toInstant().plus(java.time.Duration.ofHours(MAX_SESSION_HOURS))))));
            within = within == null ? range : within.or(range);
        }
        return col("event_month").isin(partitions.toArray()).and(within);
    }

    @Override
    public String grain() {
        return "one row per web session (tracker session_id, or inferred after an idle gap)";
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
        // Read by day and joined to accounts by the touch and session facts.
        return List.of("session_date", "account_id");
    }

    @Override
    public List<Check> checks() {
        return List.of(new Check("session ends at or after its start", col("session_end").geq(col("session_start"))),
                new Check("session lasts less than " + MAX_SESSION_HOURS + " hours (a night rebuilds a month's "
                        + "sessions from the events within that of it)",
                        col("duration_seconds").lt(MAX_SESSION_HOURS * 3600L)));
    }

    @Override
    public List<Metric> metrics() {
        return List.of(
                new Metric("sessions no channel rule matched (channel 'other')",
                        sum(when(col("channel").equalTo("other"), 1).otherwise(0))),
                new Metric("sessions with an inferred session id",
                        sum(when(col("session_id_source").equalTo("inferred"), 1).otherwise(0))),
                new Metric("sessions of a known contact", count(col("contact_id"))),
                new Metric("of which stitched from earlier anonymous visits",
                        sum(when(col("identity_source").equalTo("stitched"), 1).otherwise(0))));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> events = withSessionIds(in.get("silver.stg_web_traffic__events"), ctx.cfg().sessionIdleMinutes);
        Column first = struct(col("event_time"), col("event_id"), col("page_url"), col("page_path"), col("referrer"),
                col("referrer_host"), col("utm_source"), col("utm_medium"), col("utm_campaign"), col("utm_content"),
                col("utm_term"), col("user_agent"));
        Dataset<Row> sessions = events.groupBy(col("_session_id").as("session_id")).agg(
                min(first).as("_first"),
                max("event_time").as("session_end"),
                count(lit(1)).cast("int").as("event_count"),
                sum(when(col("event_type").equalTo("page_view"), 1).otherwise(0)).cast("int").as("pageviews"),
                sum(when(col("event_type").isin(CONVERSION_EVENTS.toArray()), 1).otherwise(0)).cast("int")
                        .as("conversion_events"),
                min(when(col("user_id").isNotNull(), struct(col("event_time"), col("user_id")))).as("_user"),
                max(when(col("session_id").isNotNull(), 1).otherwise(0)).as("_tracked"),
                min(struct(col("event_time"), col("anonymous_id"))).getField("anonymous_id").as("anonymous_id"));

        Dataset<Row> identity = in.get("silver.int_identity__stitched")
                .select(col("anonymous_id").as("_id_device"), col("contact_id").as("_stitched_contact"),
                        col("valid_from").as("_id_from"), col("valid_to").as("_id_to"));
        Column start = col("_first.event_time");
        Dataset<Row> stitched = sessions.join(identity, col("anonymous_id").equalTo(col("_id_device"))
                .and(col("_id_from").isNull().or(col("_id_from").leq(start)))
                .and(col("_id_to").isNull().or(start.lt(col("_id_to")))), "left");
        Dataset<Row> contacts = in.get("silver.stg_crm__contacts")
                .select(col("contact_id").as("_crm_contact"), col("account_id").as("account_id"));
        Column contact = coalesce(col("_user.user_id"), col("_stitched_contact"));
        Dataset<Row> withAccount = stitched.withColumn("contact_id", contact)
                .join(broadcast(contacts), col("contact_id").equalTo(col("_crm_contact")), "left");

        ChannelRules rules = ChannelRules.of(ctx.cfg());
        Column channel = rules.classify(Map.of(
                "touch_type", lit("web"),
                "utm_source", col("_first.utm_source"), "utm_medium", col("_first.utm_medium"),
                "utm_campaign", col("_first.utm_campaign"), "referrer_host", col("_first.referrer_host"),
                "landing_path", col("_first.page_path")));
        Column sessionDate = to_date(start);
        return Built.of(withAccount.select(
                col("session_id"), col("anonymous_id"),
                start.as("session_start"), col("session_end"), sessionDate.as("session_date"),
                trunc(sessionDate, "MM").as("session_month"),
                unix_timestamp(col("session_end")).minus(unix_timestamp(start)).cast("long").as("duration_seconds"),
                col("event_count"), col("pageviews"), col("conversion_events"),
                col("_first.page_url").as("landing_page_url"), col("_first.page_path").as("landing_path"),
                col("_first.referrer").as("referrer"), col("_first.referrer_host").as("referrer_host"),
                col("_first.utm_source").as("utm_source"), col("_first.utm_medium").as("utm_medium"),
                col("_first.utm_campaign").as("utm_campaign"), col("_first.utm_content").as("utm_content"),
                col("_first.utm_term").as("utm_term"), col("_first.user_agent").as("user_agent"),
                when(col("_tracked").equalTo(1), lit("tracker")).otherwise(lit("inferred")).as("session_id_source"),
                channel.as("channel"),
                col("contact_id"), col("account_id"),
                when(col("_user.user_id").isNotNull(), lit("user_id"))
                        .when(col("_stitched_contact").isNotNull(), lit("stitched"))
                        .otherwise(lit("anonymous")).as("identity_source")));
    }

    /**
     * Adds {@code _session_id}: the tracker's id, else the id of the device's previous event within the idle gap,
     * else a new id for the device and the time the idle segment began.
     */
    static Dataset<Row> withSessionIds(Dataset<Row> events, int idleMinutes) {
        WindowSpec byTime = Window.partitionBy("anonymous_id").orderBy(col("event_time"), col("event_id"));
        Column gap = unix_timestamp(col("event_time")).minus(unix_timestamp(lag("event_time", 1).over(byTime)));
        Dataset<Row> segmented = events
                .withColumn("_break", when(gap.isNull().or(gap.gt(idleMinutes * 60L)), 1).otherwise(0))
                .withColumn("_segment", sum("_break").over(byTime.rowsBetween(Window.unboundedPreceding(),
                        Window.currentRow())));
        WindowSpec segment = Window.partitionBy("anonymous_id", "_segment").orderBy(col("event_time"), col("event_id"))
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        Column inherited = last(col("session_id"), true).over(segment);
        Column generated = concat(lit("gen_"), col("anonymous_id"), lit("_"),
                date_format(min("event_time").over(Window.partitionBy("anonymous_id", "_segment")), "yyyyMMddHHmmss"));
        return segmented.withColumn("_session_id", coalesce(col("session_id"), inherited, generated))
                .drop("_break", "_segment");
    }
}
