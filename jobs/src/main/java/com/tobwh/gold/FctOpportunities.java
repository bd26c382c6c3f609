package com.tobwh.gold;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

/** gold.fct_opportunities: one row per live opportunity: stage, amounts, dates and days to close. */
public final class FctOpportunities implements Job {
    @Override
    public String output() {
        return "gold.fct_opportunities";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.stg_crm__opportunities", "gold.dim_account", "gold.dim_contact", "gold.dim_date");
    }

    @Override
    public String grain() {
        return "one row per opportunity_id (current state)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("opportunity_id");
    }

    @Override
    public List<String> zorderBy() {
        // Pipeline reports filter the created month and join accounts.
        return List.of("created_month", "account_key");
    }

    @Override
    public List<ForeignKey> foreignKeys() {
        return List.of(new ForeignKey("account_key", "gold.dim_account"),
                new ForeignKey("primary_contact_key", "gold.dim_contact", "contact_key"),
                new ForeignKey("created_date_key", "gold.dim_date", "date_key"),
                new ForeignKey("closed_date_key", "gold.dim_date", "date_key"));
    }

    @Override
    public List<Reconciliation> reconciliations() {
        return List.of(new Reconciliation("opportunities", "silver.stg_crm__opportunities", lit(1L), lit(1L)),
                new Reconciliation("amount_rc", "silver.stg_crm__opportunities", col("amount_rc"), col("amount_rc")));
    }

    @Override
    public List<Check> checks() {
        return List.of(new Check("closes on or after it was created",
                col("days_to_close").isNull().or(col("days_to_close").geq(0))));
    }

    @Override
    public Incremental incremental() {
        // Account and contact keys are looked up in the dimensions: their changes re-key the opportunities.
        return Incremental.byKey("opportunity_id")
                .with("silver.stg_crm__opportunities", Incremental.Rule.column("opportunity_id"))
                .with("gold.dim_account", DimAccount.versionLookup(col("created_at")))
                .with("gold.dim_contact", Incremental.Rule.viaOutput("primary_contact_id", "contact_id"))
                .with("gold.dim_date", Incremental.Rule.ignore())
                .reading("gold.dim_account", DimAccount.VERSION_COLUMNS)
                .reading("gold.dim_contact", DimContact.KEY_COLUMNS);
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> opps = Keys.lookup(in.get("silver.stg_crm__opportunities")
                        .withColumn("_contact_id", col("primary_contact_id")),
                in.get("gold.dim_contact").withColumnRenamed("contact_key", "primary_contact_key"),
                "_contact_id", "contact_id", "primary_contact_key");
        Column closed = col("stage").isin("closed_won", "closed_lost");
        Column createdDate = to_date(col("created_at"));
        Column closedDate = when(closed, to_date(col("closed_at")));
        return Built.of(DimAccount.withVersionAt(opps, in.get("gold.dim_account"), "account_id", col("created_at"))
                .select(col("opportunity_id"), col("account_key"), col("account_id"), col("primary_contact_key"),
                        col("primary_contact_id"), col("stage"), closed.as("is_closed"),
                        col("stage").equalTo("closed_won").as("is_won"), col("currency"), col("amount"),
                        col("fx_rate"), col("amount_rc"), col("created_at"), createdDate.as("created_date"),
                        DimDate.key(createdDate).as("created_date_key"), trunc(createdDate, "MM").as("created_month"),
                        col("closed_at"), closedDate.as("closed_date"), DimDate.key(closedDate).as("closed_date_key"),
                        datediff(closedDate, createdDate).as("days_to_close")));
    }
}
