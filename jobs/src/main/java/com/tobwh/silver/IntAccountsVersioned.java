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
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

/**
 * silver.int_accounts__versioned: the history of each live account's tracked attributes (industry, employee band,
 * region, owner) as validity intervals, the base of dim_account's SCD type 2.
 *
 * <p>Each CRM delivery is a full state; a new version starts only where a tracked attribute changes (other edits do
 * not cut history). The first version is valid from the account's creation so that anything dated after it finds a
 * version. Name is type 1 (the current name on every version). Accounts whose latest state is deleted leave.
 */
public final class IntAccountsVersioned implements Job {
    public static final List<String> TRACKED = List.of("industry", "employee_band", "region", "owner");

    @Override
    public String output() {
        return "silver.int_accounts__versioned";
    }

    @Override
    public List<String> inputs() {
        return List.of("bronze.crm__accounts");
    }

    @Override
    public Incremental incremental() {
        // A version is cut from the account's own states alone: a changed state rebuilds its account's history.
        return Incremental.byKey("account_id").with("bronze.crm__accounts", Incremental.Rule.column("account_id"));
    }

    @Override
    public String grain() {
        return "one row per account_id and version of its tracked attributes (valid_from inclusive, valid_to exclusive)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("account_id", "version");
    }

    @Override
    public List<Check> checks() {
        return List.of(new Check("valid_to after valid_from",
                col("valid_to").isNull().or(col("valid_to").gt(col("valid_from")))));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> states = Latest.perKey(in.get("bronze.crm__accounts"), List.of("account_id", "updated_at"));
        WindowSpec history = Window.partitionBy("account_id").orderBy(col("updated_at"));
        WindowSpec whole = history.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
        Column changed = TRACKED.stream().map(a -> not(col(a).eqNullSafe(lag(a, 1).over(history))))
                .reduce(Column::or).orElseThrow();
        Dataset<Row> live = states
                .withColumn("_deleted_now", last("is_deleted").over(whole))
                .withColumn("_name_now", last("name").over(whole))
                .withColumn("_created", last("created_at").over(whole))
                .withColumn("_first", row_number().over(history).equalTo(1))
                .withColumn("_changed", changed)
                .filter(not(col("_deleted_now")).and(col("_first").or(col("_changed"))));
        WindowSpec versions = Window.partitionBy("account_id").orderBy(col("updated_at"));
        Column validFrom = when(col("_first"), least(col("_created"), col("updated_at"))).otherwise(col("updated_at"));
        return Built.of(live.withColumn("valid_from", validFrom).select(
                col("account_id"), row_number().over(versions).cast("int").as("version"), col("valid_from"),
                lead(col("valid_from"), 1).over(versions).as("valid_to"),
                lead(col("valid_from"), 1).over(versions).isNull().as("is_current"),
                col("_name_now").as("name"), col("industry"), col("employee_band"), col("region"), col("owner"),
                col("_created").as("created_at"), col("updated_at")));
    }
}
