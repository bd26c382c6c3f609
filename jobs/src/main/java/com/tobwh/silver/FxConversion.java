package com.tobwh.silver;

import com.tobwh.bronze.BronzeValidation;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

/**
 * Converts staged money to the reporting currency at a date's forward-filled rate, shared by every staging job that
 * carries money; a row without any rate on or before its date is refused, never converted at zero (a row without a
 * currency carries no money yet and passes with a null rate).
 */
final class FxConversion {
    /** Rows with {@code fx_rate} set, and the refused rows in the shape of the reject tables. */
    record Result(Dataset<Row> converted, Dataset<Row> refused) {
    }

    private FxConversion() {
    }

    /**
     * Adds {@code fx_rate} (reporting-currency units per unit of {@code currency} on {@code rateDate}) to every row;
     * {@code source}/{@code object} name the landing object in the refusal, {@code key} the row's key in the job's
     * table (column {@code key} of the refusal: a rebuild by key replaces the refusals of its keys).
     */
    static Result convert(Dataset<Row> rows, Dataset<Row> fxDaily, Column rateDate, String reporting, String runId,
                          String source, String object, Column key) {
        Dataset<Row> fx = fxDaily.select(col("currency").as("_fx_currency"), col("rate_date").as("_fx_date"),
                col("rate").as("_fx_rate"));
        Column[] original = Arrays.stream(rows.columns()).filter(c -> !c.startsWith("_")).map(rows::col)
                .toArray(Column[]::new);
        Dataset<Row> joined = rows.withColumn("_rate_date", rateDate)
                .join(fx, col("currency").equalTo(col("_fx_currency")).and(col("_rate_date").equalTo(col("_fx_date"))),
                        "left")
                .withColumn("fx_rate", when(col("currency").equalTo(reporting), lit(1).cast("decimal(28,10)"))
                        .otherwise(col("_fx_rate")))
                .drop("_fx_currency", "_fx_date", "_fx_rate");
        // No currency means no money yet (an early opportunity): nothing to convert, nothing to refuse.
        Column noRate = col("fx_rate").isNull().and(col("currency").isNotNull());
        Dataset<Row> refused = joined.filter(noRate).select(BronzeValidation.rejectRow(runId,
                lit(source), lit(object), col("_file"), col("_line"), to_json(struct(original)),
                concat(lit("no " + reporting + " rate for "), col("currency"), lit(" on or before "),
                        date_format(col("_rate_date"), "yyyy-MM-dd"), lit(" in fx_rates")),
                col("_dt"), key));
        return new Result(joined.filter(org.apache.spark.sql.functions.not(noRate)).drop("_rate_date"), refused);
    }

    /** {@code amount × fx_rate}, rounded to the 4 decimals money is kept in. */
    static Column toReporting(Column amount) {
        return round(amount.multiply(col("fx_rate")), 4).cast("decimal(18,4)");
    }
}
