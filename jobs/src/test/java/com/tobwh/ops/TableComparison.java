package com.tobwh.ops;

import com.tobwh.config.WarehouseConfig;
import com.tobwh.pipeline.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares the tables of two warehouses built from the same landing data in different ways (nightly runs and a full
 * rebuild, a killed and re-run warehouse, a cluster and a local run, S3 and local disk): same schema, same rows.
 */
public final class TableComparison {
    /**
     * Significant digits floating-point columns are compared at. Sums of doubles (attribution credits, shares) may
     * be added up in another order when tasks finish in another order; everything else is compared exactly.
     */
    public static final int SIGNIFICANT_DIGITS = 10;
    /** Which run wrote a row differs by construction between two ways of building the same table. */
    private static final Set<String> RUN_COLUMNS = Set.of("run_id", "_run_id");

    private TableComparison() {
    }

    /** Every published mart is non-empty in both warehouses and holds the same multiset of rows in both. */
    public static void assertMartsEqual(SparkSession spark, String warehouseA, String warehouseB) {
        List<String> differing = differences(spark, Warehouse.marts(), warehouseA, warehouseB, true);
        assertEquals(List.of(), differing, "marts of " + warehouseA + " vs " + warehouseB);
    }

    /** Every table of the job graph holds the same rows in both warehouses (run ids aside); lists all that differ. */
    public static void assertAllTablesEqual(SparkSession spark, String warehouseA, String warehouseB) {
        List<String> tables = Warehouse.graph().ordered().stream().map(j -> j.output()).toList();
        assertEquals(List.of(), differences(spark, tables, warehouseA, warehouseB, false),
                "tables of " + warehouseA + " vs " + warehouseB);
    }

    private static List<String> differences(SparkSession spark, List<String> tables, String warehouseA,
                                            String warehouseB, boolean nonEmpty) {
        List<String> differing = new ArrayList<>();
        for (String table : tables) {
            String pathA = path(warehouseA, table);
            String pathB = path(warehouseB, table);
            Dataset<Row> a = spark.read().format("delta").load(pathA);
            Dataset<Row> b = spark.read().format("delta").load(pathB);
            if (!columns(a).equals(columns(b))) {
                differing.add(table + ": columns " + columns(a) + " vs " + columns(b));
                continue;
            }
            long countA = a.count();
            if (nonEmpty) {
                assertTrue(countA > 0, table + " is empty in " + pathA + ": an empty table proves nothing");
            }
            Dataset<Row> na = comparable(a);
            Dataset<Row> nb = comparable(b);
            Dataset<Row> onlyA = na.exceptAll(nb).cache();
            Dataset<Row> onlyB = nb.exceptAll(na).cache();
            try {
                long diffA = onlyA.count();
                long diffB = onlyB.count();
                if (diffA + diffB > 0) {
                    differing.add(table + " (" + countA + " rows): " + diffA + " rows only in " + pathA
                            + sample(onlyA) + "\n  " + diffB + " rows only in " + pathB + sample(onlyB));
                }
            } finally {
                onlyA.unpersist();
                onlyB.unpersist();
            }
        }
        return differing;
    }

    private static String path(String warehouse, String table) {
        WarehouseConfig cfg = new WarehouseConfig();
        cfg.warehouseRoot = warehouse;
        String[] layerAndName = table.split("\\.", 2);
        return cfg.tablePath(layerAndName[0], layerAndName[1]);
    }

    private static List<String> columns(Dataset<Row> df) {
        return Arrays.stream(df.schema().fields()).filter(f -> !RUN_COLUMNS.contains(f.name()))
                .map(f -> f.name() + " " + f.dataType().simpleString()).toList();
    }

    /** Run ids dropped; floating-point columns as text at {@link #SIGNIFICANT_DIGITS} digits (+0.0 folds -0.0). */
    private static Dataset<Row> comparable(Dataset<Row> df) {
        Column[] cols = Arrays.stream(df.schema().fields()).filter(f -> !RUN_COLUMNS.contains(f.name()))
                .map(TableComparison::comparable).toArray(Column[]::new);
        return df.select(cols);
    }

    private static Column comparable(StructField f) {
        DataType t = f.dataType();
        if (t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType)) {
            return format_string("%." + (SIGNIFICANT_DIGITS - 1) + "e", col(f.name()).cast("double").plus(lit(0.0)))
                    .as(f.name());
        }
        return col(f.name());
    }

    private static String sample(Dataset<Row> rows) {
        return rows.limit(5).collectAsList().stream().map(Row::toString)
                .collect(Collectors.joining("\n    ", ":\n    ", ""));
    }
}
