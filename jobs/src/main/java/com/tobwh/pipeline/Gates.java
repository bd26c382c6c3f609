package com.tobwh.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

/** Data-quality gates run inside the pipeline; a failure names the table, the check and sample keys. */
public final class Gates {
    private static final int SAMPLE = 5;

    private Gates() {
    }

    /** Thrown when a gate fails: the run stops before the table is written. */
    public static final class GateFailure extends RuntimeException {
        public GateFailure(String message) {
            super(message);
        }
    }

    public static void check(Job job, Dataset<Row> rows) {
        List<String> drift = TableSchemas.drift(job.output(), rows.schema());
        if (!drift.isEmpty()) {
            throw new GateFailure(job.output() + ": schema differs from schemas/tables/" + job.output()
                    + ".schema.json: " + String.join("; ", drift));
        }
        List<String> pk = job.primaryKey();
        if (!pk.isEmpty()) {
            Column[] keys = pk.stream().map(k -> col(k)).toArray(Column[]::new);
            Column anyNull = pk.stream().map(k -> col(k).isNull()).reduce(Column::or).orElseThrow();
            // One aggregation finds both kinds of bad key: null keys group together and show up as a row too.
            List<Row> bad = rows.groupBy(keys).agg(count(lit(1)).as("n"))
                    .filter(col("n").gt(1).or(anyNull)).limit(SAMPLE).collectAsList();
            List<Row> nulls = bad.stream().filter(r -> pk.stream().anyMatch(k -> r.isNullAt(r.fieldIndex(k)))).toList();
            if (!nulls.isEmpty()) {
                throw new GateFailure(job.output() + ": primary key " + pk + " has nulls, e.g. " + show(nulls));
            }
            if (!bad.isEmpty()) {
                throw new GateFailure(job.output() + ": primary key " + pk + " is not unique, e.g. " + show(bad));
            }
        }
        for (Job.Check c : job.checks()) {
            List<Row> bad = rows.filter(c.mustHold().isNull().or(not(c.mustHold()))).limit(SAMPLE).collectAsList();
            if (!bad.isEmpty()) {
                throw new GateFailure(job.output() + ": check '" + c.name() + "' fails, e.g. " + show(bad));
            }
        }
    }

    /** Per file: rows in = rows loaded + rows rejected, or the run stops. */
    public static void reconcile(List<Row> perFile) {
        List<String> broken = new ArrayList<>();
        for (Row r : perFile) {
            long in = r.<Long>getAs("rows_in");
            long loaded = r.<Long>getAs("rows_loaded");
            long rejected = r.<Long>getAs("rows_rejected");
            if (in != loaded + rejected) {
                broken.add(r.<String>getAs("file") + " (in " + in + ", loaded " + loaded + ", rejected " + rejected + ")");
            }
        }
        if (!broken.isEmpty()) {
            throw new GateFailure("bronze: rows in != loaded + rejected for " + broken.size() + " file(s), e.g. "
                    + String.join("; ", broken.subList(0, Math.min(SAMPLE, broken.size()))));
        }
    }

    private static String show(List<Row> rows) {
        return rows.stream().map(Row::toString).collect(Collectors.joining(", "));
    }
}
