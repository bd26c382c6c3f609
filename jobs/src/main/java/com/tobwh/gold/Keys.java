package com.tobwh.gold;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

/** Surrogate keys of the star schema: derived from natural keys, so they survive re-runs and full rebuilds. */
public final class Keys {
    /** The member a fact points at when its dimension row is unknown (never a null foreign key). */
    public static final long UNKNOWN = -1L;

    private Keys() {
    }

    public static Column surrogate(Column... natural) {
        return xxhash64(natural);
    }

    /**
     * Adds {@code keyColumn} to {@code facts}: the dimension's key for {@code factColumn}'s value (matched on the
     * dimension's {@code naturalColumn}), or the unknown member. Dimensions are small: broadcast.
     */
    public static Dataset<Row> lookup(Dataset<Row> facts, Dataset<Row> dim, String factColumn, String naturalColumn,
                                      String keyColumn) {
        String nat = "_lk_" + keyColumn;
        String key = "_lk_key_" + keyColumn;
        Dataset<Row> keys = dim.filter(col(naturalColumn).isNotNull())
                .select(col(naturalColumn).as(nat), col(keyColumn).as(key));
        return facts.join(broadcast(keys), facts.col(factColumn).equalTo(col(nat)), "left")
                .withColumn(keyColumn, coalesce(col(key), lit(UNKNOWN)))
                .drop(nat, key);
    }
}
