package com.tobwh.io;

import com.tobwh.SparkTestSession;
import com.tobwh.config.WarehouseConfig;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A nightly rebuild by key writes only the rows that changed.
 *
 * <pre>
 * v0           a1: t1 web 1, t2 (no channel) 2 | a2: t3 email 1 | a3: t4 ads 1        (two files)
 * replace      keys a1, a2, a4 with a1: t1 web 1, t2 (no channel) 2, t5 referral 3 | a4: t6 trade_show 1
 * v1           a1: t1, t2, t5 | a3: t4 | a4: t6        a2 is gone, a3 (not a replaced key) untouched
 * written      2 rows inserted (t5, t6), 1 deleted (t3); t1 and t2 are unchanged, so not rewritten, the null
 *              channel included; no row copied and no file removed: t3 is marked in a deletion vector
 * changes      the change feed v0→v1 holds exactly t3 (deleted), t5 and t6 (inserted)
 * small table  below keyedMergeMinTableMb the same replacement rewrites the files holding the keys instead:
 *              the same rows come out
 *
 * partitioned, below the threshold, by month (one file each):
 *   v0         01: a1 t1 web, a2 t3 email · 02: a1 t2 ads, a2 t7 ads · (no month): a3 t4 ads
 *   replace    keys a1, a2, a3 with a1: t1 web (01), t2 referral (02) | a2: t3 email (01), t7 ads (02) |
 *              a3: t4 trade_show (no month)
 *   changed    t2 in 02 and t4 in the null partition; the keys' rows of 01 come out the same
 *   v1         02 and the null partition rewritten (2 files removed), 01's file kept as it was
 *   again      the same rows once more: nothing differs, nothing is written, no new version
 *
 * a resumed rebuild replaces the keys' rows since its resume point (2026-03-10 00:00 UTC), merged or rewritten:
 *   v0         a1: t1 03-01, t2 03-12 | a2: t3 03-11
 *   replace    keys a1, a2 since 03-10 with a1: t2 03-12, t5 03-13 (t1 is not among the rows: it stands)
 *   v1         a1: t1, t2, t5 | a2 has no row since 03-10 any more: t3 is gone
 *
 * a table rebuilt whole every run (daily rates carried forward to the run date), replaced by its changed rows:
 *   v0         a1 t1 web 1, a1 t2 (no channel) 2, a2 t3 email 1
 *   rebuilt    a1 t1 web 1, a1 t2 (no channel) 2, a2 t3 ads 1, a3 t4 ads 1
 *   changes    t3 email (deleted), t3 ads and t4 (inserted); t1 and t2, the null channel included, are in no
 *              change; the same rows once more: nothing written, no new version
 * </pre>
 */
class DeltaTablesReplaceKeysTest {
    private static final StructType TOUCHES = new StructType()
            .add("account_id", DataTypes.StringType)
            .add("touch_id", DataTypes.StringType)
            .add("channel", DataTypes.StringType)
            .add("touch_number", DataTypes.IntegerType);

    @Test
    void replacingKeysWritesOnlyTheRowsThatChanged() {
        SparkSession spark = SparkTestSession.get();
        WarehouseConfig cfg = SparkTestSession.testConfig(SparkTestSession.scratch("replace-keys").resolve("warehouse"));
        // Relative, as `--warehouse data/warehouse` gives: Delta's path identifiers need absolute paths.
        cfg.warehouseRoot = Path.of("").toAbsolutePath().relativize(Path.of(cfg.warehouseRoot).toAbsolutePath())
                .toString();
        // Merged whatever the size: the sample tables are far below the default threshold.
        cfg.keyedMergeMinTableMb = 0;
        DeltaTables tables = new DeltaTables(spark, cfg);
        tables.overwrite("keyed.touches", touches(
                RowFactory.create("a1", "t1", "web", 1),
                RowFactory.create("a1", "t2", null, 2),
                RowFactory.create("a2", "t3", "email", 1),
                RowFactory.create("a3", "t4", "ads", 1)).repartition(2), List.of());

        long v1 = tables.replaceKeys("keyed.touches", touches(
                RowFactory.create("a1", "t1", "web", 1),
                RowFactory.create("a1", "t2", null, 2),
                RowFactory.create("a1", "t5", "referral", 3),
                RowFactory.create("a4", "t6", "trade_show", 1)), List.of("account_id"), List.of("a1", "a2", "a4"), List.of());

        assertEquals(Set.of("a1 t1 web 1", "a1 t2 null 2", "a1 t5 referral 3", "a3 t4 ads 1", "a4 t6 trade_show 1"),
                lines(tables.read("keyed.touches")));
        Row commit = DeltaTable.forPath(spark, tables.path("keyed.touches")).history(1).first();
        Map<String, String> written = commit.getJavaMap(commit.fieldIndex("operationMetrics"));
        assertEquals("2", written.get("numTargetRowsInserted"), written.toString());
        assertEquals("1", written.get("numTargetRowsDeleted"), written.toString());
        assertEquals("0", written.get("numTargetRowsCopied"), written.toString());
        assertEquals("0", written.get("numTargetFilesRemoved"), written.toString());
        assertEquals(Set.of("a2 t3 email 1", "a1 t5 referral 3", "a4 t6 trade_show 1"),
                lines(tables.changes("keyed.touches", v1 - 1, v1).orElseThrow()));
    }

    @Test
    void aTableBelowTheMergeThresholdGetsTheSameRowsByRewritingItsFiles() {
        DeltaTables tables = new DeltaTables(SparkTestSession.get(),
                SparkTestSession.testConfig(SparkTestSession.scratch("replace-keys-small").resolve("warehouse")));
        tables.overwrite("keyed.touches", touches(
                RowFactory.create("a1", "t1", "web", 1),
                RowFactory.create("a2", "t3", "email", 1),
                RowFactory.create("a3", "t4", "ads", 1)), List.of());

        tables.replaceKeys("keyed.touches", touches(
                RowFactory.create("a1", "t1", "web", 1),
                RowFactory.create("a1", "t5", "referral", 2)), List.of("account_id"), List.of("a1", "a2"), List.of());

        assertEquals(Set.of("a1 t1 web 1", "a1 t5 referral 2", "a3 t4 ads 1"), lines(tables.read("keyed.touches")));
        assertEquals("WRITE", tables.lastChange("keyed.touches", 1).operation());
    }

    @Test
    void aPartitionedTableIsRewrittenOnlyInThePartitionsWhereTheKeysRowsChanged() {
        SparkSession spark = SparkTestSession.get();
        DeltaTables tables = new DeltaTables(spark,
                SparkTestSession.testConfig(SparkTestSession.scratch("replace-keys-parts").resolve("warehouse")));
        long v0 = tables.overwrite("keyed.touches", monthly(
                RowFactory.create("a1", "t1", "web", 1, java.sql.Date.valueOf("2026-01-01")),
                RowFactory.create("a2", "t3", "email", 1, java.sql.Date.valueOf("2026-01-01")),
                RowFactory.create("a1", "t2", "ads", 2, java.sql.Date.valueOf("2026-02-01")),
                RowFactory.create("a2", "t7", "ads", 2, java.sql.Date.valueOf("2026-02-01")),
                RowFactory.create("a3", "t4", "ads", 1, null)), List.of("month"));
        List<String> january = filesOf(tables, "month = DATE'2026-01-01'");
        Dataset<Row> rebuilt = monthly(
                RowFactory.create("a1", "t1", "web", 1, java.sql.Date.valueOf("2026-01-01")),
                RowFactory.create("a2", "t3", "email", 1, java.sql.Date.valueOf("2026-01-01")),
                RowFactory.create("a1", "t2", "referral", 2, java.sql.Date.valueOf("2026-02-01")),
                RowFactory.create("a2", "t7", "ads", 2, java.sql.Date.valueOf("2026-02-01")),
                RowFactory.create("a3", "t4", "trade_show", 1, null));

        long v1 = tables.replaceKeys("keyed.touches", rebuilt, List.of("account_id"), List.of("a1", "a2", "a3"),
                List.of("month"));

        assertEquals(v0 + 1, v1);
        assertEquals(Set.of("a1 t1 web 1 2026-01-01", "a2 t3 email 1 2026-01-01", "a1 t2 referral 2 2026-02-01",
                "a2 t7 ads 2 2026-02-01", "a3 t4 trade_show 1 null"), lines(tables.read("keyed.touches")));
        assertEquals(january, filesOf(tables, "month = DATE'2026-01-01'"));
        Row commit = DeltaTable.forPath(spark, tables.path("keyed.touches")).history(1).first();
        assertEquals("2", commit.<String, String>getJavaMap(commit.fieldIndex("operationMetrics"))
                .get("numRemovedFiles"));

        assertEquals(DeltaTables.NOTHING_WRITTEN, tables.replaceKeys("keyed.touches", rebuilt,
                List.of("account_id"), List.of("a1", "a2", "a3"), List.of("month")));
        assertEquals(v1, tables.latestVersion("keyed.touches"));
    }

    @Test
    void aResumedRebuildReplacesOnlyTheKeysRowsSinceItsResumePoint() {
        StructType timed = new StructType().add("account_id", DataTypes.StringType)
                .add("touch_id", DataTypes.StringType).add("touch_time", DataTypes.TimestampType);
        java.util.function.Function<String, Row> touch = l -> RowFactory.create(l.split(" ")[0], l.split(" ")[1],
                java.sql.Timestamp.from(java.time.Instant.parse("2026-" + l.split(" ")[2] + "T00:00:00Z")));
        for (long mergeFromMb : List.of(0L, 256L)) {
            WarehouseConfig cfg = SparkTestSession.testConfig(SparkTestSession.scratch("replace-since-" + mergeFromMb)
                    .resolve("warehouse"));
            cfg.keyedMergeMinTableMb = mergeFromMb;
            DeltaTables tables = new DeltaTables(SparkTestSession.get(), cfg);
            tables.overwrite("keyed.timed", SparkTestSession.get().createDataFrame(Stream.of("a1 t1 03-01",
                    "a1 t2 03-12", "a2 t3 03-11").map(touch).toList(), timed), List.of());

            tables.replaceKeys("keyed.timed", SparkTestSession.get().createDataFrame(Stream.of("a1 t2 03-12",
                            "a1 t5 03-13").map(touch).toList(), timed), List.of("account_id"), List.of("a1", "a2"),
                    List.of(), new DeltaTables.Since("touch_time", java.time.Instant.parse("2026-03-10T00:00:00Z")));

            assertEquals(Set.of("a1 t1", "a1 t2", "a1 t5"), Set.copyOf(tables.read("keyed.timed").collectAsList()
                    .stream().map(r -> r.get(0) + " " + r.get(1)).toList()), "merged from " + mergeFromMb + " MB");
        }
    }

    private static Dataset<Row> monthly(Row... rows) {
        return SparkTestSession.get().createDataFrame(List.of(rows), TOUCHES.add("month", DataTypes.DateType));
    }

    @Test
    void aTableRebuiltWholeWritesOnlyItsChangedRows() {
        DeltaTables tables = new DeltaTables(SparkTestSession.get(),
                SparkTestSession.testConfig(SparkTestSession.scratch("replace-changed").resolve("warehouse")));
        tables.overwrite("keyed.touches", touches(
                RowFactory.create("a1", "t1", "web", 1),
                RowFactory.create("a1", "t2", null, 2),
                RowFactory.create("a2", "t3", "email", 1)), List.of());
        Dataset<Row> rebuilt = touches(
                RowFactory.create("a1", "t1", "web", 1),
                RowFactory.create("a1", "t2", null, 2),
                RowFactory.create("a2", "t3", "ads", 1),
                RowFactory.create("a3", "t4", "ads", 1));

        long v1 = tables.replaceChangedRows("keyed.touches", rebuilt);

        assertEquals(lines(rebuilt), lines(tables.read("keyed.touches")));
        assertEquals(Set.of("a2 t3 email 1", "a2 t3 ads 1", "a3 t4 ads 1"),
                lines(tables.changes("keyed.touches", v1 - 1, v1).orElseThrow()));
        assertEquals(DeltaTables.NOTHING_WRITTEN, tables.replaceChangedRows("keyed.touches", rebuilt));
        assertEquals(v1, tables.latestVersion("keyed.touches"));
    }

    /** The data files holding the table's rows that match {@code where}. */
    private static List<String> filesOf(DeltaTables tables, String where) {
        return List.of(tables.read("keyed.touches").where(where).inputFiles());
    }

    private static Dataset<Row> touches(Row... rows) {
        return SparkTestSession.get().createDataFrame(List.of(rows), TOUCHES);
    }

    private static Set<String> lines(Dataset<Row> rows) {
        return Set.copyOf(rows.collectAsList().stream()
                .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3)
                        + (r.size() > 4 ? " " + r.get(4) : "")).toList());
    }
}
