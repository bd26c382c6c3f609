package com.tobwh.bronze;

import com.tobwh.bronze.LandingSchema.FieldRule;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/** Splits one landing object's raw lines into typed rows to load and rejected rows with a reason: no IO (it caches its
 * checked lines so both branches share one parse; the runner clears the cache after the run). */
public final class BronzeValidation {
    /** Columns of {@code bronze.rejects}. */
    public static final StructType REJECTS = new StructType()
            .add("run_id", DataTypes.StringType)
            .add("source", DataTypes.StringType)
            .add("object", DataTypes.StringType)
            .add("file", DataTypes.StringType)
            .add("line", DataTypes.LongType)
            .add("raw", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("_dt", DataTypes.DateType);

    private static final String CORRUPT = "_corrupt_record";

    /** The columns of a reject row, in {@link #REJECTS} order: every layer refuses rows in this one shape. */
    public static Column[] rejectRow(String runId, Column source, Column object, Column file, Column line, Column raw,
                                     Column reason, Column dt) {
        return new Column[]{lit(runId).as("run_id"), source.as("source"), object.as("object"), file.as("file"),
                line.as("line"), raw.as("raw"), reason.as("reason"), dt.as("_dt")};
    }

    /**
     * A refusal after bronze: {@link #rejectRow} and the row's key in the refusing job's table (silver.rejects'
     * column {@code key}, by which a rebuild by key replaces its keys' refusals).
     */
    public static Column[] rejectRow(String runId, Column source, Column object, Column file, Column line, Column raw,
                                     Column reason, Column dt, Column key) {
        Column[] row = rejectRow(runId, source, object, file, line, raw, reason, dt);
        Column[] keyed = java.util.Arrays.copyOf(row, row.length + 1);
        keyed[row.length] = key.cast("string").as(com.tobwh.pipeline.Pipeline.REJECT_KEY);
        return keyed;
    }

    private BronzeValidation() {
    }

    public record Result(Dataset<Row> loaded, Dataset<Row> rejected) {
    }

    /**
     * @param lines raw lines of {@link com.tobwh.io.LandingReader#LINES} for this schema's files (file errors included)
     */
    public static Result validate(Dataset<Row> lines, LandingSchema schema, String runId) {
        StructType text = new StructType();
        for (FieldRule f : schema.fields) {
            text = text.add(f.name, DataTypes.StringType);
        }
        text = text.add(CORRUPT, DataTypes.StringType);
        Column parsed = schema.format.equals("csv")
                ? from_csv(col("raw"), lit(text.toDDL()), Map.of("mode", "PERMISSIVE", "escape", "\"",
                        "columnNameOfCorruptRecord", CORRUPT))
                : from_json(col("raw"), text, Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT));
        String malformed = schema.format.equals("csv")
                ? "malformed CSV: expected " + schema.fields.size() + " comma-separated fields ("
                        + String.join(",", schema.columnNames()) + ")"
                : "malformed JSON: not one complete JSON object";
        Column reason = when(col("file_error").isNotNull(), concat(lit("file rejected: "), col("file_error")))
                .when(col("raw").isNull().or(trim(col("raw")).equalTo("")), lit("empty line"))
                .when(col("p." + CORRUPT).isNotNull(), lit(malformed))
                .otherwise(RowValidator.errors(schema, name -> col("p." + name)));
        // Parse and check each line once; the loaded and rejected branches both read this.
        Dataset<Row> checked = lines
                .withColumn("p", when(col("file_error").isNull(), parsed))
                .withColumn("_reason", reason)
                .persist(StorageLevel.MEMORY_AND_DISK());

        List<Column> typed = new ArrayList<>();
        for (FieldRule f : schema.fields) {
            typed.add(RowValidator.typed(f, col("p." + f.name)));
        }
        typed.add(lit(runId).as("_run_id"));
        typed.add(col("file").as("_file"));
        typed.add(col("line").as("_line"));
        typed.add(col("dt").as("_dt"));
        Dataset<Row> loaded = checked.filter(col("_reason").isNull()).select(typed.toArray(new Column[0]));
        Dataset<Row> rejected = checked.filter(col("_reason").isNotNull()).select(rejectRow(runId, lit(schema.source),
                lit(schema.name), col("file"), col("line"), col("raw"), col("_reason"), col("dt")));
        return new Result(loaded, rejected);
    }
}
