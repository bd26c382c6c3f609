package com.tobwh.silver;

import com.tobwh.bronze.BronzeValidation;
import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

/** silver.stg_support_tickets: each ticket's latest state (highest updated_at); impossible timelines are rejected. */
public final class StgSupportTickets implements Job {
    static final String SOURCE = "support_tickets";
    private static final String TS = "yyyy-MM-dd'T'HH:mm:ssXXX";

    @Override
    public String output() {
        return "silver.stg_support_tickets";
    }

    @Override
    public List<String> inputs() {
        return List.of("bronze.support_tickets");
    }

    @Override
    public String grain() {
        return "one row per ticket_id (latest updated_at); tickets answered or resolved before created_at are rejected";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("ticket_id");
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("first_response_at is not before created_at",
                        col("first_response_at").isNull().or(col("first_response_at").geq(col("created_at")))),
                new Check("resolved_at is not before created_at",
                        col("resolved_at").isNull().or(col("resolved_at").geq(col("created_at")))));
    }

    @Override
    public Incremental incremental() {
        return Incremental.byKey("ticket_id").with("bronze.support_tickets", Incremental.Rule.column("ticket_id"));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> bronze = in.get("bronze.support_tickets");
        // The help-desk export has no is_deleted field (schemas/landing/support_tickets): every ticket is kept.
        // Only the winning version is judged: falling back to an older, valid version would publish a stale state.
        Dataset<Row> latest = Latest.perKey(bronze, List.of("ticket_id"), "updated_at")
                .withColumn("_reason", dataError());
        Dataset<Row> ok = latest.filter(col("_reason").isNull()).select(
                col("ticket_id"), col("account_id"), col("contact_id"), col("created_at"), col("first_response_at"),
                col("resolved_at"), col("priority"), col("channel"), col("category"), col("status"), col("csat"),
                col("updated_at"), col("_file"), col("_line"));
        Column raw = to_json(struct(Arrays.stream(bronze.columns()).filter(c -> !c.startsWith("_"))
                .map(c -> col(c)).toArray(Column[]::new)));
        Dataset<Row> refused = latest.filter(col("_reason").isNotNull()).select(BronzeValidation.rejectRow(
                ctx.runId(), lit(SOURCE), lit(SOURCE), col("_file"), col("_line"), raw, col("_reason"), col("_dt"),
                incremental().keyValue()));
        return new Built(ok, refused);
    }

    /** Why a ticket cannot be loaded, or null: its response or resolution hours would be negative. */
    private static Column dataError() {
        Column responseEarly = when(col("first_response_at").lt(col("created_at")),
                concat(lit("first_response_at "), date_format(col("first_response_at"), TS),
                        lit(" is before created_at "), date_format(col("created_at"), TS),
                        lit(" (negative first response time)")));
        Column resolvedEarly = when(col("resolved_at").lt(col("created_at")),
                concat(lit("resolved_at "), date_format(col("resolved_at"), TS),
                        lit(" is before created_at "), date_format(col("created_at"), TS),
                        lit(" (negative resolution time)")));
        Column joined = concat_ws("; ", responseEarly, resolvedEarly);
        return when(joined.notEqual(""), joined);
    }
}
