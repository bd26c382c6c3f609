package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The foreign-key gate reads only the dimension's keys in the range the output's keys span.
 *
 * <pre>
 * gold.calendar (Delta, one file per year)   2025: 20250101, 20250102, 20250103 · 2026: 20260101, 20260102, 20260103
 * output keys                     range                     reads of the calendar   gate
 * 20260102, 20260103, -1, null    20260102 .. 20260103      the 2026 file: 3 rows   passes; 1 unknown member noted
 * 20250102, 20260104              20250102 .. 20260104      both files: 6 rows      fails: 20260104 is not a day
 * -1, null                        none (no known key)       nothing                 passes; 1 unknown member noted
 * </pre>
 */
class GatesForeignKeyTest {
    private static Dataset<Row> calendar;

    @BeforeAll
    static void writeCalendar() {
        SparkSession spark = SparkTestSession.get();
        String path = SparkTestSession.scratch("gates-fk").resolve("calendar").toString();
        spark.sql("SELECT CAST(k AS INT) AS date_key FROM VALUES (20250101), (20250102), (20250103) AS t(k)")
                .coalesce(1).write().format("delta").save(path);
        spark.sql("SELECT CAST(k AS INT) AS date_key FROM VALUES (20260101), (20260102), (20260103) AS t(k)")
                .coalesce(1).write().format("delta").mode("append").save(path);
        calendar = spark.read().format("delta").load(path);
    }

    private static final Job FACT = new Job() {
        public String output() {
            return "gold.fact_with_dates";
        }

        public List<String> inputs() {
            return List.of("gold.calendar");
        }

        public String grain() {
            return "one row per event";
        }

        public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
            throw new UnsupportedOperationException("the gates are tested on given rows");
        }

        public List<ForeignKey> foreignKeys() {
            return List.of(new ForeignKey("date_key", "gold.calendar"));
        }
    };

    private static Dataset<Row> keys(String values) {
        return SparkTestSession.get().sql("SELECT CAST(k AS INT) AS date_key FROM VALUES " + values + " AS t(k)");
    }

    /** The gates' result, and the rows they read of the calendar. */
    private static Map.Entry<Gates.Result, Long> check(Dataset<Row> rows) {
        SparkContext sc = SparkTestSession.get().sparkContext();
        Gates.Result[] result = new Gates.Result[1];
        Map<String, ReadMetrics.Read> reads;
        try (ReadMetrics metrics = ReadMetrics.start(sc, "fk")) {
            ReadMetricsTest.inGroup(sc, "fk", "gates", () ->
                    result[0] = Gates.check(FACT, rows, Map.of("gold.calendar", calendar)));
            reads = metrics.reads();
        }
        ReadMetrics.Read read = reads.get("gates");
        return Map.entry(result[0], read == null ? 0L : read.rows());
    }

    @Test
    void readsOnlyTheFilesOfTheKeysRange() {
        Map.Entry<Gates.Result, Long> checked = check(keys("(20260102), (20260103), (-1), (NULL)"));
        assertEquals(List.of("date_key = unknown member (-1): 1"), checked.getKey().notes());
        assertEquals(3L, checked.getValue(), "the 2025 file is skipped by its statistics");
    }

    @Test
    void aKeyNotInTheDimensionFailsTheGate() {
        Gates.GateFailure e = assertThrows(Gates.GateFailure.class, () -> check(keys("(20250102), (20260104)")));
        assertEquals("gold.fact_with_dates: foreign key date_key does not resolve in gold.calendar, e.g. [20260104]",
                e.getMessage());
    }

    @Test
    void onlyUnknownKeysReadNothingOfTheDimension() {
        Map.Entry<Gates.Result, Long> checked = check(keys("(-1), (NULL)"));
        assertEquals(List.of("date_key = unknown member (-1): 1"), checked.getKey().notes());
        assertEquals(0L, checked.getValue());
        assertEquals(2L, checked.getKey().rows());
    }
}
