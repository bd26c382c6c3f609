package com.tobwh.silver;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

/** silver.stg_crm__contacts: each contact's current state (highest updated_at); soft-deleted contacts leave. */
public final class StgCrmContacts implements Job {
    @Override
    public String output() {
        return "silver.stg_crm__contacts";
    }

    @Override
    public List<String> inputs() {
        return List.of("bronze.crm__contacts");
    }

    @Override
    public String grain() {
        return "one row per live contact_id (current version: its current account)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("contact_id");
    }

    @Override
    public Incremental incremental() {
        return Incremental.byKey("contact_id").with("bronze.crm__contacts", Incremental.Rule.column("contact_id"));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        return Built.of(Latest.live(in.get("bronze.crm__contacts"), List.of("contact_id"), "updated_at")
                .select("contact_id", "account_id", "email", "lead_source", "created_at", "updated_at"));
    }
}
