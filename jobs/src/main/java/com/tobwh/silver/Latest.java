package com.tobwh.silver;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

/** Latest-wins deduplication shared by staging jobs: per key, the newest version, then the latest delivery. */
final class Latest {
    private Latest() {
    }

    /**
     * Keeps one row per key: highest {@code versionColumns} first (e.g. updated_at), then the latest delivery
     * (landing date, file, line) so a re-delivered row beats the earlier one.
     */
    static Dataset<Row> perKey(Dataset<Row> rows, List<String> key, String... versionColumns) {
        List<Column> order = new ArrayList<>();
        Arrays.stream(versionColumns).forEach(c -> order.add(col(c).desc_nulls_last()));
        order.add(col("_dt").desc());
        order.add(col("_file").desc());
        order.add(col("_line").desc());
        return rows.withColumn("_rank", row_number().over(Window
                        .partitionBy(key.stream().map(k -> col(k)).toArray(Column[]::new))
                        .orderBy(order.toArray(new Column[0]))))
                .filter(col("_rank").equalTo(1))
                .drop("_rank");
    }

    /** The latest version per key, minus records whose latest version is soft-deleted (a later restore wins). */
    static Dataset<Row> live(Dataset<Row> rows, List<String> key, String... versionColumns) {
        return perKey(rows, key, versionColumns).filter(org.apache.spark.sql.functions.not(col("is_deleted")));
    }
}
