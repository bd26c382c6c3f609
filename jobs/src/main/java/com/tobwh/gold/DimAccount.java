package com.tobwh.gold;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.when;

/**
 * gold.dim_account: SCD type 2 on industry, employee band, region and owner: one row per account version with
 * valid_from / valid_to / is_current, plus the unknown member -1. Facts join the version valid at their own time.
 */
public final class DimAccount implements Job {
    public static final long UNKNOWN = Keys.UNKNOWN;

    /** The columns {@link #withVersionAt} reads: a fact keyed by it reads no others (see Incremental#reading). */
    public static final String[] VERSION_COLUMNS = {"account_id", "account_key", "valid_from", "valid_to", "version"};

    @Override
    public String output() {
        return "gold.dim_account";
    }

    @Override
    public List<String> inputs() {
        return List.of("silver.int_accounts__versioned");
    }

    @Override
    public Incremental incremental() {
        // Surrogate keys are hashes of the account and version, so an account's rows are rebuilt alone. The
        // unknown member has no account_id, so no key reaches it: written by the first build, it stays.
        return Incremental.byKey("account_id")
                .with("silver.int_accounts__versioned", Incremental.Rule.column("account_id"));
    }

    @Override
    public String grain() {
        return "one row per account version (SCD2 on industry, employee_band, region, owner); -1 = unknown";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("account_key");
    }

    @Override
    public List<Check> checks() {
        return List.of(new Check("one current version per account or the unknown member",
                col("is_current").isNotNull()));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> versions = in.get("silver.int_accounts__versioned").select(
                Keys.surrogate(col("account_id"), col("version")).as("account_key"),
                Keys.surrogate(col("account_id")).as("account_durable_key"), col("account_id"), col("version"),
                col("name"), col("industry"), col("employee_band"), col("region"), col("owner"), col("created_at"),
                col("valid_from"), col("valid_to"), col("is_current"));
        Dataset<Row> unknown = SparkSession.active().sql("""
                SELECT CAST(-1 AS BIGINT) AS account_key, CAST(-1 AS BIGINT) AS account_durable_key,
                       CAST(NULL AS STRING) AS account_id, 0 AS version, 'unknown' AS name,
                       'unknown' AS industry, 'unknown' AS employee_band, 'unknown' AS region, 'unknown' AS owner,
                       CAST(NULL AS TIMESTAMP) AS created_at, CAST(NULL AS TIMESTAMP) AS valid_from,
                       CAST(NULL AS TIMESTAMP) AS valid_to, true AS is_current
                """);
        return Built.of(versions.unionByName(unknown));
    }

    /**
     * Adds {@code account_key}: the version of {@code accountIdColumn}'s account valid at {@code at} (valid_from
     * inclusive, valid_to exclusive); before the first version, the first version; no such account, -1.
     */
    public static Dataset<Row> withVersionAt(Dataset<Row> facts, Dataset<Row> dimAccount, String accountIdColumn,
                                             Column at) {
        Dataset<Row> dim = dimAccount.filter(col("account_id").isNotNull()).select(
                col("account_id").as("_va_id"), col("account_key").as("_va_key"), col("valid_from").as("_va_from"),
                col("valid_to").as("_va_to"), col("version").equalTo(1).as("_va_first"));
        Dataset<Row> withAt = facts.withColumn("_va_at", at);
        Column valid = col("_va_from").leq(col("_va_at")).or(col("_va_first"))
                .and(col("_va_to").isNull().or(col("_va_at").lt(col("_va_to"))));
        return withAt.join(broadcast(dim), withAt.col(accountIdColumn).equalTo(col("_va_id")).and(valid), "left")
                .withColumn("account_key", coalesce(col("_va_key"), lit(UNKNOWN)))
                .drop("_va_id", "_va_key", "_va_from", "_va_to", "_va_first", "_va_at");
    }

    /**
     * The rule for a fact keyed by {@link #withVersionAt} at {@code at} (the same expression, over the fact's
     * columns): a changed account re-keys its facts from the earliest time its versions changed, and reads no
     * other columns (declare {@link #VERSION_COLUMNS} with {@code Incremental#reading}).
     */
    public static Incremental.Rule versionLookup(Column at) {
        return Incremental.Rule.viaOutput("account_id", "account_id", DimAccount::versionsChangedSince, at);
    }

    /**
     * Per changed account ({@code _value}), the earliest time from which {@link #withVersionAt} may give another
     * key ({@code _since}; null: any time), from the netted changes of {@link #VERSION_COLUMNS}. A version's two
     * images (same key) differ from the earlier of their differing bounds: a version closed by a new one, from
     * its new valid_to. A version added or removed differs over its own validity: from its valid_from, or any
     * time for a first version, which also covers the times before it.
     */
    public static Dataset<Row> versionsChangedSince(Dataset<Row> changes) {
        Dataset<Row> byVersion = changes.filter(col("account_id").isNotNull())
                .groupBy(col("account_id"), col("account_key"))
                .agg(count(lit(1)).as("_n"), min("valid_from").as("_from_min"), max("valid_from").as("_from_max"),
                        min("valid_to").as("_to_min"), max(col("version").equalTo(1)).as("_first"));
        Column boundsMoved = col("_n").equalTo(2).and(col("_from_min").eqNullSafe(col("_from_max")));
        Column since = when(boundsMoved, col("_to_min"))
                .when(not(col("_first")), col("_from_min"));
        return byVersion.withColumn("_since", since).groupBy(col("account_id").as("_value"))
                .agg(when(count(when(col("_since").isNull(), 1)).gt(0), lit(null))
                        .otherwise(min("_since")).cast("timestamp").as("_since"));
    }

    /** The instant a date-stamped fact is placed at: the end of its day, so a change made that day applies. */
    public static Column endOfDay(Column date) {
        return to_timestamp(date_add(date, 1)).minus(expr("INTERVAL 1 MICROSECOND"));
    }
}
