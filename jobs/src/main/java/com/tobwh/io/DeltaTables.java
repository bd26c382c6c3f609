package com.tobwh.io;

import com.tobwh.config.WarehouseConfig;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;
import java.util.List;

/** The one place that reads, writes and registers warehouse tables: Delta by path, catalogued as {@code layer.table}. */
public final class DeltaTables {
    private final SparkSession spark;
    private final WarehouseConfig cfg;
    /** Tables this instance already registered: the catalog round trips cost more than a small table's write. */
    private final java.util.Set<String> registered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DeltaTables(SparkSession spark, WarehouseConfig cfg) {
        this.spark = spark;
        this.cfg = cfg;
    }

    public String path(String table) {
        String[] p = split(table);
        return cfg.tablePath(p[0], p[1]);
    }

    public boolean exists(String table) {
        return DeltaTable.isDeltaTable(spark, path(table));
    }

    public Dataset<Row> read(String table) {
        if (!exists(table)) {
            throw new IllegalStateException("table " + table + " does not exist at " + path(table)
                    + ": run the job that builds it first");
        }
        return spark.read().format("delta").load(path(table));
    }

    /** Replaces the whole table in one transaction; readers see the old version until it commits. */
    public long overwrite(String table, Dataset<Row> rows, List<String> partitionBy) {
        clustered(rows, partitionBy).write().format("delta").mode("overwrite")
                .option("overwriteSchema", "true")
                .partitionBy(partitionBy.toArray(new String[0]))
                .save(path(table));
        return register(table);
    }

    /**
     * Replaces only the rows whose {@code dateColumn} falls in [from, to] (plus {@code extraPredicate} when given),
     * so a re-run of the same dates gives the same table and other dates are untouched.
     */
    public long replaceRange(String table, Dataset<Row> rows, String dateColumn, LocalDate from, LocalDate to,
                             List<String> partitionBy) {
        String predicate = dateColumn + " >= '" + from + "' AND " + dateColumn + " <= '" + to + "'";
        clustered(rows, partitionBy).write().format("delta").mode("overwrite")
                .option("replaceWhere", predicate)
                .partitionBy(partitionBy.toArray(new String[0]))
                .save(path(table));
        return register(table);
    }

    /** Adds rows (audit tables only: everything else is replaced, so re-runs stay idempotent). */
    public long append(String table, Dataset<Row> rows) {
        rows.write().format("delta").mode("append").save(path(table));
        return register(table);
    }

    /** One writer per partition value, so a partition gets one file rather than one per upstream task. */
    private static Dataset<Row> clustered(Dataset<Row> rows, List<String> partitionBy) {
        if (partitionBy.isEmpty()) {
            return rows;
        }
        return rows.repartition(partitionBy.stream().map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new));
    }

    /** Makes {@code layer.table} resolve to the table's path in this warehouse (re-pointing a stale entry). */
    /** Catalog changes are serialised: concurrent CREATE DATABASE IF NOT EXISTS races inside the Hive client. */
    private synchronized long register(String table) {
        if (!registered.add(table)) {
            return version(table);
        }
        String[] p = split(table);
        String location = path(table);
        spark.sql("CREATE DATABASE IF NOT EXISTS " + p[0] + " LOCATION '"
                + qualified(cfg.warehouseRoot + "/" + p[0]) + "'");
        if (spark.catalog().tableExists(table)) {
            String current = spark.sql("DESCRIBE DETAIL " + table).first().getAs("location");
            if (!normalise(current).equals(normalise(qualified(location)))) {
                spark.sql("DROP TABLE " + table);
            }
        }
        spark.sql("CREATE TABLE IF NOT EXISTS " + table + " USING DELTA LOCATION '" + qualified(location) + "'");
        return version(table);
    }

    private long version(String table) {
        return DeltaTable.forPath(spark, path(table)).history(1).first().<Long>getAs("version");
    }

    private String qualified(String location) {
        if (location.contains("://") || location.startsWith("file:")) {
            return location;
        }
        return new java.io.File(location).getAbsoluteFile().toURI().toString();
    }

    private static String normalise(String uri) {
        String s = uri.replace("file:///", "file:/");
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String[] split(String table) {
        String[] p = table.split("\\.");
        if (p.length != 2) {
            throw new IllegalArgumentException("table names are layer.name, got " + table);
        }
        return p;
    }
}
