package com.tobwh;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** spark-testing-base's DataFrame comparisons, callable from JUnit 5 tests without its JUnit 4 lifecycle. */
public final class DataFrameAssert {
    // Only the comparison methods are used; they never touch the suite's own SparkContext.
    private static final JavaDataFrameSuiteBase BASE = new JavaDataFrameSuiteBase();

    private DataFrameAssert() {
    }

    /** Same schema and same rows in any order, doubles equal within {@code tolerance}. */
    public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual, double tolerance) {
        String[] cols = expected.columns();
        Dataset<Row> e = expected.orderBy(cols[0], java.util.Arrays.copyOfRange(cols, 1, cols.length));
        Dataset<Row> a = actual.select(cols[0], java.util.Arrays.copyOfRange(cols, 1, cols.length))
                .orderBy(cols[0], java.util.Arrays.copyOfRange(cols, 1, cols.length));
        BASE.assertDataFrameApproximateEquals(e, a, tolerance);
    }

    /** Same rows in any order, exactly. */
    public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
        BASE.assertDataFrameDataEquals(expected, actual.select(expected.columns()[0],
                java.util.Arrays.copyOfRange(expected.columns(), 1, expected.columns().length)));
    }
}
