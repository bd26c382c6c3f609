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

    private static Dataset<Row> touches(Row... rows) {
        return SparkTestSession.get().createDataFrame(List.of(rows), TOUCHES);
    }

    private static Set<String> lines(Dataset<Row> rows) {
        return Set.copyOf(rows.collectAsList().stream()
                .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3)).toList());
    }
}
