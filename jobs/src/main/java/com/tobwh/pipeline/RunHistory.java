package com.tobwh.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/** The last runs of the warehouse, one line each, from ops.run_log: what the {@code status} command prints. */
public final class RunHistory {
    private RunHistory() {
    }

    /**
     * One row per run, newest first: dates, start, wall time, jobs succeeded/failed, rows rejected, first failure,
     * and the bytes of data files its jobs scanned (null for runs logged before ops.run_log had read_bytes).
     */
    public static Dataset<Row> lastRuns(Dataset<Row> runLog, int n) {
        Column failed = col("status").equalTo("failed");
        Column read = java.util.Arrays.asList(runLog.columns()).contains("read_bytes") ? sum("read_bytes")
                : lit(null).cast("long");
        Column ended = col("started_at").cast("long").multiply(1000).plus(col("duration_ms"));
        return runLog.groupBy("run_id").agg(
                        first("date_from").as("date_from"), first("date_to").as("date_to"),
                        min("started_at").as("started_at"),
                        max(ended).minus(min(col("started_at").cast("long").multiply(1000))).as("wall_ms"),
                        sum(when(failed, 0).otherwise(1)).as("succeeded"),
                        sum(when(failed, 1).otherwise(0)).as("failed"),
                        sum("rows_rejected").as("rows_rejected"),
                        min(when(failed, struct(col("started_at"), col("job"), col("message")))).as("_failure"),
                        count("job").as("jobs"),
                        sum(when(col("status").equalTo("skipped"), 1).otherwise(0)).as("skipped"),
                        first(when(col("status").equalTo("partial"), col("message")), true).as("partial"),
                        read.as("read_bytes"))
                .orderBy(desc("started_at"), col("run_id"))
                .limit(n)
                .select(col("run_id"), col("date_from"), col("date_to"), col("started_at"), col("wall_ms"),
                        col("succeeded"), col("failed"), col("rows_rejected"),
                        col("_failure.job").as("failed_job"), col("_failure.message").as("failure"),
                        col("skipped"), col("partial"), col("read_bytes"));
    }

    /** The runs as text a person reads at a glance; maintenance runs have no dates and say so. */
    public static String text(List<Row> runs) {
        if (runs.isEmpty()) {
            return "no runs yet (ops.run_log is empty)\n";
        }
        StringBuilder b = new StringBuilder(String.format("%-32s %-23s %-19s %9s %5s %6s %9s %10s  %s%n", "run",
                "dates", "started", "wall", "jobs", "failed", "rejected", "read", "status"));
        for (Row r : runs) {
            long failedJobs = r.getLong(r.fieldIndex("failed"));
            String partial = r.getAs("partial");
            String status = failedJobs > 0 ? "FAILED in " + r.getAs("failed_job") + ": " + r.getAs("failure")
                    : partial != null ? "PARTIAL (" + partial.replaceFirst("^partial: ", "") + ")" : "succeeded";
            long skipped = r.getLong(r.fieldIndex("skipped"));
            if (skipped > 0) {
                status += ", " + skipped + " jobs skipped (nothing changed)";
            }
            Long read = r.isNullAt(r.fieldIndex("read_bytes")) ? null : r.<Long>getAs("read_bytes");
            b.append(String.format("%-32s %-23s %-19s %8.1fs %5d %6d %,9d %10s  %s%n", r.<String>getAs("run_id"),
                    r.isNullAt(r.fieldIndex("date_from")) ? "(maintenance)"
                            : r.getAs("date_from") + ".." + r.getAs("date_to"),
                    r.getAs("started_at").toString().substring(0, 19), r.<Long>getAs("wall_ms") / 1000.0,
                    r.<Long>getAs("succeeded") + failedJobs, failedJobs,
                    r.isNullAt(r.fieldIndex("rows_rejected")) ? 0L : r.<Long>getAs("rows_rejected"),
                    read == null ? "-" : String.format("%.1f MB", read / 1048576.0), status));
        }
        return b.toString();
    }
}
