package com.tobwh;

import com.tobwh.config.WarehouseConfig;
import com.tobwh.io.SparkSessions;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one SparkSession shared by every test in the JVM (Surefire runs a single fork). */
public final class SparkTestSession {
    private static SparkSession spark;
    private static Path root;

    private SparkTestSession() {
    }

    public static synchronized SparkSession get() {
        if (spark == null) {
            try {
                root = Files.createTempDirectory("tobwh-test-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            spark = SparkSessions.create(testConfig(root.resolve("warehouse")), "tobwh-tests");
        }
        return spark;
    }

    /** A fresh config for one test's own landing and warehouse folders (the session's catalog is shared). */
    public static WarehouseConfig testConfig(Path warehouse) {
        WarehouseConfig cfg = WarehouseConfig.defaults();
        cfg.sparkMaster = "local[2]";
        cfg.shufflePartitions = 2;
        cfg.warehouseRoot = warehouse.toString();
        cfg.metastoreDir = (root != null ? root : warehouse).resolve("metastore").toString();
        return cfg;
    }

    public static synchronized Path scratch(String name) {
        get();
        try {
            return Files.createTempDirectory(root, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
