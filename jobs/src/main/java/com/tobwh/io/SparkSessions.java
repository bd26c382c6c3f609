package com.tobwh.io;

import com.tobwh.config.WarehouseConfig;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;

/** Builds the one SparkSession a process uses: Delta, Hive catalog on embedded Derby, reporting time zone. */
public final class SparkSessions {
    private SparkSessions() {
    }

    public static SparkSession create(WarehouseConfig cfg, String appName) {
        // Delta 3.3 resolves `TIMESTAMP AS OF` on a catalog table by printing the instant in the JVM's zone and
        // parsing it back in the session's: unless the two zones agree, time travel by timestamp lands hours off.
        TimeZone.setDefault(TimeZone.getTimeZone(cfg.zone()));
        String metastore = new File(cfg.resolvedMetastoreDir()).getAbsolutePath();
        new File(metastore).mkdirs();
        // Derby writes derby.log into the working directory unless told otherwise.
        System.setProperty("derby.system.home", metastore);
        SparkSession.Builder b = SparkSession.builder()
                .appName(appName)
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.warehouse.dir", cfg.warehouseRoot)
                .config("javax.jdo.option.ConnectionURL",
                        "jdbc:derby:;databaseName=" + metastore + "/metastore_db;create=true")
                .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                        "jdbc:derby:;databaseName=" + metastore + "/metastore_db;create=true")
                .config("spark.sql.session.timeZone", cfg.reportingTimeZone)
                .config("spark.sql.shuffle.partitions", String.valueOf(cfg.shufflePartitions))
                .config("spark.sql.adaptive.enabled", "true")
                .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.sources.partitionOverwriteMode", "static")
                // Delta rebuilds table state with 50 tasks by default: far too many for warehouse-sized logs.
                .config("spark.databricks.delta.snapshotPartitions", String.valueOf(cfg.deltaSnapshotPartitions))
                .config("spark.databricks.delta.schema.autoMerge.enabled", "false")
                // Incremental runs follow each table's changes through Delta's change data feed.
                .config("spark.databricks.delta.properties.defaults.enableChangeDataFeed", "true")
                // VACUUM then commits what it deleted (VACUUM START/END in DESCRIBE HISTORY) on every storage, not
                // only the file systems Delta picks by default (s3a is not one of them): maintenance reports from it.
                .config("spark.databricks.delta.vacuum.logging.enabled", "true")
                // Otherwise Spark rewrites from_json(raw).field into one pruned parse per field: bronze reads
                // every field several times, so a line would be parsed dozens of times instead of once.
                .config("spark.sql.optimizer.enableJsonExpressionOptimization", "false")
                .config("spark.sql.optimizer.enableCsvExpressionOptimization", "false")
                .enableHiveSupport();
        if (!isSubmitted()) {
            b = b.master(cfg.sparkMaster);
            if (cfg.sparkMaster.startsWith("local")) {
                // An embedded run needs no network: stay on loopback whatever the machine's hostname resolves to.
                b = b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
            }
        }
        // Hive would chgrp/chmod each new table folder through FsShell: meaningless on object stores, where it only
        // prints errors for the placeholder folders Spark gives data source tables. Delta keeps no Hive folders.
        b = b.config("spark.hadoop.hive.warehouse.subdir.inherit.perms", "false");
        for (Map.Entry<String, String> e : s3Settings(cfg).entrySet()) {
            b = b.config(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : cfg.sparkConf.entrySet()) {
            b = b.config(e.getKey(), e.getValue());
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /**
     * The config's {@code s3} section as Spark settings. The {@code spark.hadoop.} prefix reaches every Hadoop
     * Configuration of the process (driver, tasks, Hive client), so landing listing, Delta and catalog
     * registration all see the same endpoint and credentials. May hold keys: never print it.
     */
    public static Map<String, String> s3Settings(WarehouseConfig cfg) {
        Map<String, String> out = new LinkedHashMap<>();
        cfg.s3.hadoopSettings().forEach((k, v) -> out.put("spark.hadoop." + k, v));
        return out;
    }

    /** spark-submit sets spark.master itself; the config's master applies to plain `java` launches only. */
    private static boolean isSubmitted() {
        return System.getProperty("spark.master") != null;
    }
}
