package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Supplier;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What ops.run_log says a job read: the data files its scans kept after Delta's pruning, and the rows scanned.
 *
 * <pre>
 * table t: two files, ids 0..4 (file A) and 5..9 (file B)
 * run r1, group whole     id < 100 over t        both files: bytes A + B, 10 rows
 * run r1, group one-file  id = 7                 Delta's statistics skip A: bytes B, 5 rows (B's rows; the filter
 *                                                drops 4 of them after the scan)
 * run r1, group cache     a cached copy of t,    the scan that fills the cache is the job's (10 rows); a second
 *                         counted twice          pass over the cache reads no file
 * run r2, group other     whole t                another run's job: not this run's
 * </pre>
 */
class ReadMetricsTest {
    @Test
    void countsTheFilesEachJobGroupScannedAfterPruningAndNotTheCacheNorOtherRuns() {
        SparkSession spark = SparkTestSession.get();
        String path = SparkTestSession.scratch("read-metrics").resolve("t").toString();
        spark.range(0, 5).coalesce(1).write().format("delta").save(path);
        long fileA = sizeInBytes(spark, path);
        spark.range(5, 10).coalesce(1).write().format("delta").mode("append").save(path);
        long fileB = sizeInBytes(spark, path) - fileA;
        Supplier<Dataset<Row>> t = () -> spark.read().format("delta").load(path);

        SparkContext sc = spark.sparkContext();
        Map<String, ReadMetrics.Read> reads;
        try (ReadMetrics metrics = ReadMetrics.start(sc, "r1")) {
            inGroup(sc, "r1", "whole", () -> t.get().filter(col("id").lt(100)).collectAsList());
            inGroup(sc, "r1", "one-file", () -> t.get().filter(col("id").equalTo(7)).collectAsList());
            inGroup(sc, "r1", "cache", () -> {
                Dataset<Row> cached = t.get().filter(col("id").geq(0)).cache();
                cached.count();
                cached.filter(col("id").gt(2)).count();
                cached.unpersist();
            });
            inGroup(sc, "r2", "other", () -> t.get().filter(col("id").lt(100)).collectAsList());
            reads = metrics.reads();
        }
        assertEquals(new ReadMetrics.Read(fileA + fileB, 10), reads.get("whole"));
        assertEquals(new ReadMetrics.Read(fileB, 5), reads.get("one-file"));
        assertEquals(new ReadMetrics.Read(fileA + fileB, 10), reads.get("cache"));
        assertFalse(reads.containsKey("other"), reads.toString());
    }

    /** As the pipeline runs a job: its thread names the run and the job group. */
    static void inGroup(SparkContext sc, String run, String group, Runnable action) {
        sc.setJobGroup(group, group, false);
        sc.setLocalProperty(ReadMetrics.RUN_PROPERTY, run);
        try {
            action.run();
        } finally {
            sc.clearJobGroup();
            sc.setLocalProperty(ReadMetrics.RUN_PROPERTY, null);
        }
    }

    private static long sizeInBytes(SparkSession spark, String path) {
        return spark.sql("DESCRIBE DETAIL delta.`" + path + "`").first().<Long>getAs("sizeInBytes");
    }
}
