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
import static org.apache.spark.sql.functions.xxhash64;

/** gold.dim_account: one row per CRM account with a stable surrogate key, plus the unknown member -1. */
public final class DimAccount implements Job {
    public static final long UNKNOWN = -1L;

    @Override
    public String output() {
        return "gold.dim_account";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.stg_crm__accounts");
    }

    @Override
    public String grain() {
        return "one row per account (current attributes), account_key -1 = unknown";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("account_key");
    }

    /** A key derived from the natural key stays the same across runs and rebuilds, unlike a row number. */
    public static Column accountKey(Column accountId) {
        return xxhash64(accountId);
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> accounts = in.get("silver.stg_crm__accounts").select(
                accountKey(col("account_id")).as("account_key"), col("account_id"), col("name"), col("industry"),
                col("employee_band"), col("region"), col("owner"), col("created_at"), col("is_deleted"));
        Dataset<Row> unknown = SparkSession.active().sql("""
                SELECT CAST(-1 AS BIGINT) AS account_key, CAST(NULL AS STRING) AS account_id, 'unknown' AS name,
                       'unknown' AS industry, 'unknown' AS employee_band, 'unknown' AS region, 'unknown' AS owner,
                       CAST(NULL AS TIMESTAMP) AS created_at, false AS is_deleted
                """);
        return Built.of(accounts.unionByName(unknown));
    }
}
