package com.tobwh.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What a job built: its rows, and the input rows it refused (null when it refuses none). */
public record Built(Dataset<Row> rows, Dataset<Row> rejects) {
    public static Built of(Dataset<Row> rows) {
        return new Built(rows, null);
    }
}
