package com.tobwh.silver;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

/** silver.stg_crm__accounts: each account's current state, the highest updated_at winning; soft-deleted accounts leave. */
public final class StgCrmAccounts implements Job {
    @Override
    public String output() {
        return "silver.stg_crm__accounts";
    }

    @Override
    public List<String> inputs() {
        return List.of("bronze.crm__accounts");
    }

    @Override
    public String grain() {
        return "one row per live account_id (current version)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("account_id");
    }

    @Override
    public Incremental incremental() {
        return Incremental.byKey("account_id").with("bronze.crm__accounts", Incremental.Rule.column("account_id"));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        return Built.of(Latest.live(in.get("bronze.crm__accounts"), List.of("account_id"), "updated_at")
                .select("account_id", "name", "industry", "employee_band", "region", "owner", "created_at",
                        "updated_at"));
    }
}
