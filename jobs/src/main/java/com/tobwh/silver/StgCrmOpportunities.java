package com.tobwh.silver;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

/**
 * silver.stg_crm__opportunities: each opportunity's current state (highest updated_at), soft-deleted ones removed,
 * amount converted at the rate of its close date (its creation date while open).
 */
public final class StgCrmOpportunities implements Job {
    private static final String BRONZE = "bronze.crm__opportunities";
    private static final String FX = "silver.int_fx_rates__daily";

    @Override
    public String output() {
        return "silver.stg_crm__opportunities";
    }

    @Override
    public List<String> inputs() {
        return List.of(BRONZE, FX);
    }

    @Override
    public String grain() {
        return "one row per live opportunity_id (current version), amount also in the reporting currency";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("opportunity_id");
    }

    @Override
    public Incremental incremental() {
        // A rate arriving for a date reaches the opportunities valued on it, also those refused for want of it.
        return Incremental.byKey("opportunity_id")
                .with(BRONZE, Incremental.Rule.column("opportunity_id"))
                .with(FX, Incremental.Rule.viaInput(BRONZE, rateDate(), "rate_date"));
    }

    /** The date an opportunity's amount is valued at: its close when closed, else its creation. */
    private static Column rateDate() {
        return to_date(when(col("stage").isin("closed_won", "closed_lost"), coalesce(col("closed_at"),
                col("created_at"))).otherwise(col("created_at")));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> opps = Latest.live(in.get(BRONZE), List.of("opportunity_id"), "updated_at");
        FxConversion.Result fx = FxConversion.convert(opps, in.get(FX), rateDate(), ctx.cfg().reportingCurrency,
                ctx.runId(), "crm", "crm__opportunities", incremental().keyValue());
        return new Built(fx.converted().select(col("opportunity_id"), col("account_id"), col("primary_contact_id"),
                col("stage"), col("amount"), col("currency"), col("fx_rate"),
                FxConversion.toReporting(col("amount")).as("amount_rc"), col("created_at"), col("closed_at"),
                col("updated_at")), fx.refused());
    }
}
