package com.tobwh.io;

import com.tobwh.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a table's catalog entry and layout say, as a run reads them without a query.
 *
 * <pre>
 * warehouse A    catalog_test.orders written: (1, 2026-01-01, 10), (2, 2026-02-01, 20), partitioned by month
 * detail         2 files (one per month), partitioned by [month], columns [id, month, amount] in order
 * warehouse B    the same name written there: (3, 2026-03-01, 30)
 * catalog        catalog_test.orders now points at B (the stale entry for A is replaced): it reads (3)
 * </pre>
 */
class DeltaTablesCatalogTest {
    private static Dataset<Row> orders(String values) {
        return SparkTestSession.get().sql("SELECT CAST(id AS INT) AS id, CAST(month AS DATE) AS month, "
                + "CAST(amount AS BIGINT) AS amount FROM VALUES " + values + " AS t(id, month, amount)");
    }

    private static DeltaTables warehouse(String name) {
        return new DeltaTables(SparkTestSession.get(), SparkTestSession.testConfig(
                SparkTestSession.scratch("catalog-" + name).resolve("warehouse")));
    }

    @Test
    void detailComesFromTheLogAndTheCatalogFollowsTheWarehouseWritten() {
        SparkSession spark = SparkTestSession.get();
        DeltaTables a = warehouse("a");
        a.overwrite("catalog_test.orders", orders("(1, '2026-01-01', 10), (2, '2026-02-01', 20)"),
                List.of("month"));

        DeltaTables.Detail d = a.detail("catalog_test.orders");
        assertEquals(2L, d.numFiles());
        assertEquals(List.of("month"), d.partitionColumns());
        assertEquals(List.of("id", "month", "amount"), d.columns());
        assertEquals(List.of(1, 2), ids(spark.table("catalog_test.orders")));

        DeltaTables b = warehouse("b");
        b.overwrite("catalog_test.orders", orders("(3, '2026-03-01', 30)"), List.of("month"));
        String location = spark.sql("DESCRIBE DETAIL catalog_test.orders").first().getAs("location");
        assertTrue(location.replaceAll("/+$", "").endsWith(b.path("catalog_test.orders").replaceAll("/+$", "")),
                location + " should be " + b.path("catalog_test.orders"));
        assertEquals(List.of(3), ids(spark.table("catalog_test.orders")));
    }

    private static List<Integer> ids(Dataset<Row> rows) {
        return rows.orderBy("id").collectAsList().stream().map(r -> r.<Integer>getAs("id")).toList();
    }
}
