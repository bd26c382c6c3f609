package com.tobwh.io;

import com.tobwh.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whether a rebuilt table's rows are the table's: the same bag of rows, in any order, nulls equal to nulls.
 *
 * <pre>
 * table                       (1, a), (1, a), (2, null)
 * same, other order           (2, null), (1, a), (1, a)          same
 * one copy of (1, a) short    (1, a), (2, null)                   differs (duplicates count)
 * a copy swapped              (1, a), (2, null), (2, null)        differs (same distinct rows, other counts)
 * null vs a value             (1, a), (1, a), (2, b)              differs
 * id as a long                (1L, a), (1L, a), (2L, null)        differs (the types are part of it)
 * </pre>
 */
class DeltaTablesSameRowsTest {
    private static Dataset<Row> rows(String values) {
        SparkSession spark = SparkTestSession.get();
        return spark.sql("SELECT CAST(id AS INT) AS id, name FROM VALUES " + values + " AS t(id, name)");
    }

    private static final String TABLE = "(1, 'a'), (1, 'a'), (2, CAST(NULL AS STRING))";

    @Test
    void theSameBagInAnyOrderIsTheSame() {
        assertTrue(DeltaTables.sameRows(rows("(2, CAST(NULL AS STRING)), (1, 'a'), (1, 'a')"), rows(TABLE)));
    }

    @Test
    void duplicatesAreCounted() {
        assertFalse(DeltaTables.sameRows(rows("(1, 'a'), (2, CAST(NULL AS STRING))"), rows(TABLE)));
        assertFalse(DeltaTables.sameRows(rows("(1, 'a'), (2, CAST(NULL AS STRING)), (2, CAST(NULL AS STRING))"),
                rows(TABLE)));
    }

    @Test
    void aNullIsNotAValue() {
        assertFalse(DeltaTables.sameRows(rows("(1, 'a'), (1, 'a'), (2, 'b')"), rows(TABLE)));
    }

    @Test
    void columnTypesArePartOfIt() {
        Dataset<Row> longIds = rows(TABLE).selectExpr("CAST(id AS BIGINT) AS id", "name");
        assertFalse(DeltaTables.sameRows(longIds, rows(TABLE)));
    }
}
