package com.tobwh.gold;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

/** gold.fct_tickets: one row per support ticket with its keys, response/resolution hours and SLA breaches. */
public final class FctTickets implements Job {
    private static final double MICROS_PER_HOUR = 3_600_000_000.0;

    @Override
    public String output() {
        return "gold.fct_tickets";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.stg_support_tickets", "gold.dim_account", "gold.dim_date");
    }

    /**
     * The tickets a later run date can still change: an SLA clock runs to the end of the run's date only while the
     * ticket is unresolved, and a breach, once judged, stays (the clock only runs on). So an unresolved ticket moves
     * until its resolution SLA is breached, and, while nobody has answered it, its response SLA too.
     */
    public static final Column MOVING_WITH_RUN_DATE = not(col("is_resolved")).and(
            not(col("resolution_sla_breached"))
                    .or(col("first_response_at").isNull().and(not(col("first_response_sla_breached")))));

    @Override
    public Incremental incremental() {
        return Incremental.byKey("ticket_id")
                .with("silver.stg_support_tickets", Incremental.Rule.column("ticket_id"))
                .with("gold.dim_account", DimAccount.versionLookup(col("created_at")))
                .with("gold.dim_date", Incremental.Rule.ignore())
                .reading("gold.dim_account", DimAccount.VERSION_COLUMNS)
                .movingWithRunDate(MOVING_WITH_RUN_DATE);
    }

    @Override
    public String grain() {
        return "one row per ticket_id (latest state); SLA breaches judged as of the end of the run's last date";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("ticket_id");
    }

    @Override
    public List<String> partitionBy() {
        return List.of("created_month");
    }

    @Override
    public List<String> zorderBy() {
        // Tickets are read by day and per account (churn signals).
        return List.of("created_date", "account_key");
    }

    @Override
    public List<ForeignKey> foreignKeys() {
        return List.of(new ForeignKey("account_key", "gold.dim_account"),
                new ForeignKey("created_date_key", "gold.dim_date", "date_key"));
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("account_key resolves (or is the unknown member -1)", col("account_key").isNotNull()),
                new Check("created_date_key resolves (or is the unknown member -1)",
                        col("created_date_key").isNotNull()),
                new Check("csat is null or 1..5", col("csat").isNull().or(col("csat").between(1, 5))),
                new Check("first_response_hours is never negative",
                        col("first_response_hours").isNull().or(col("first_response_hours").geq(0))),
                new Check("resolution_hours is never negative",
                        col("resolution_hours").isNull().or(col("resolution_hours").geq(0))),
                new Check("the ticket's priority has both SLAs in the config",
                        col("first_response_sla_hours").isNotNull().and(col("resolution_sla_hours").isNotNull())));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> tickets = in.get("silver.stg_support_tickets");
        Dataset<Row> keyed = DimAccount.withVersionAt(tickets, in.get("gold.dim_account"), "account_id",
                        col("created_at"))
                .withColumn("created_date", to_date(col("created_at")));

        // Midnight after the as-of date: a deadline before it has passed by the end of that day.
        Instant asOfEnd = ctx.asOf().plusDays(1).atStartOfDay(ctx.cfg().zone()).toInstant();
        long asOfMicros = ChronoUnit.MICROS.between(Instant.EPOCH, asOfEnd);
        Column hoursOpenAtAsOf = lit(asOfMicros).minus(unix_micros(col("created_at"))).divide(MICROS_PER_HOUR);

        Column isResolved = col("status").isin("solved", "closed").or(col("resolved_at").isNotNull());
        Column responseSla = slaLookup(ctx.cfg().slaFirstResponseHours, col("priority"));
        Column resolutionSla = slaLookup(ctx.cfg().slaResolutionHours, col("priority"));
        // Solving a ticket answers it too, so a ticket solved without a recorded reply stops the response clock then.
        Column responseClockStop = coalesce(col("first_response_at"), col("resolved_at"));
        Column responseBreached = breached(hours(responseClockStop), isResolved, hoursOpenAtAsOf,
                col("first_response_sla_hours"));
        Column resolutionBreached = breached(col("resolution_hours"), isResolved, hoursOpenAtAsOf,
                col("resolution_sla_hours"));

        return Built.of(keyed
                .withColumn("first_response_hours", hours(col("first_response_at")))
                .withColumn("resolution_hours", hours(col("resolved_at")))
                .withColumn("is_resolved", isResolved)
                .withColumn("first_response_sla_hours", responseSla)
                .withColumn("resolution_sla_hours", resolutionSla)
                .withColumn("first_response_sla_breached", responseBreached)
                .withColumn("resolution_sla_breached", resolutionBreached)
                .select(col("ticket_id"),
                        coalesce(col("account_key"), lit(DimAccount.UNKNOWN)).as("account_key"),
                        col("account_id"), col("contact_id"),
                        DimDate.key(col("created_date")).as("created_date_key"),
                        col("created_at"), col("created_date"), trunc(col("created_date"), "MM").as("created_month"),
                        col("priority"), col("channel"), col("category"), col("status"), col("csat"),
                        col("first_response_at"), col("resolved_at"),
                        col("first_response_hours"), col("resolution_hours"), col("is_resolved"),
                        col("first_response_sla_hours"), col("resolution_sla_hours"),
                        col("first_response_sla_breached"), col("resolution_sla_breached"),
                        col("first_response_sla_breached").or(col("resolution_sla_breached")).as("sla_breached")));
    }

    /** Hours from the ticket's creation to {@code at}; null when {@code at} is. */
    private static Column hours(Column at) {
        return unix_micros(at).minus(unix_micros(col("created_at"))).divide(MICROS_PER_HOUR);
    }

    /**
     * Late when the clock stopped after the SLA; when it has not stopped, late once the deadline is before the
     * as-of instant. A ticket marked solved/closed without the timestamp stopped at an unknown time: not judged late.
     * Without an SLA for the priority there is nothing to breach (the priority check flags that case).
     */
    private static Column breached(Column hoursTaken, Column isResolved, Column hoursOpenAtAsOf, Column slaHours) {
        return coalesce(when(hoursTaken.isNotNull(), hoursTaken.gt(slaHours))
                .when(isResolved, lit(false))
                .otherwise(hoursOpenAtAsOf.gt(slaHours)), lit(false));
    }

    /** The configured hours of a priority as one CASE expression: the map is a handful of entries. */
    private static Column slaLookup(Map<String, Double> hoursByPriority, Column priority) {
        Column c = null;
        for (Map.Entry<String, Double> e : new TreeMap<>(hoursByPriority).entrySet()) {
            Column value = lit(e.getValue()).cast("double");
            c = c == null ? when(priority.equalTo(e.getKey()), value) : c.when(priority.equalTo(e.getKey()), value);
        }
        return c == null ? lit(null).cast("double") : c;
    }
}
