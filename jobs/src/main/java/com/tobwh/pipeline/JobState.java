package com.tobwh.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.row_number;

/** Where each job stands: the input versions and run date its last successful (or skipped) run built from. */
record JobState(Map<String, Long> inputVersions, LocalDate asOf) {
    /** A job that has not run (or a full refresh): no versions, no date. */
    static final JobState NEVER = new JobState(Map.of(), null);

    /**
     * Per job, from ops.run_log. Only finished jobs count: a job killed or failed mid-run has no row, so the next run
     * starts it again from its previous versions and picks up everything since.
     */
    static Map<String, JobState> consumed(Dataset<Row> runLog) {
        if (!java.util.Arrays.asList(runLog.columns()).contains("input_versions")) {
            return Map.of();
        }
        Map<String, JobState> out = new HashMap<>();
        runLog.filter(col("status").isin("succeeded", "skipped").and(col("input_versions").isNotNull()))
                .withColumn("_n", row_number().over(Window.partitionBy("job")
                        .orderBy(desc("started_at"), desc("run_id"))))
                .filter(col("_n").equalTo(1))
                .select("job", "input_versions", "date_to").collectAsList()
                .forEach(r -> out.put(r.getString(0),
                        new JobState(Map.copyOf(r.getJavaMap(1)), r.getDate(2).toLocalDate())));
        return out;
    }
}
