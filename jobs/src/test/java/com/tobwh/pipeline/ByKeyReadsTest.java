package com.tobwh.pipeline;

import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a rebuild by key reads of each table: its keyed input once, however often the build and the gates use it,
 * and its own table once for all its lookups through the output.
 *
 * <pre>
 * silver.visits (visit_id device owner minutes), one file:  v1 d1 alice 5 · v2 d1 alice 10 · v3 d2 bob 7 ·
 *                                                           v4 d3 carol 3 · v5 d3 carol 4 · v6 d4 dave 8
 * silver.owners (owner team):  alice t1 · bob t1 · carol t2 · dave t3
 * silver.teams (team region):  t1 north · t2 south · t3 east
 * gold.visits, keyed by device: a visit with its device's minutes, its owner's team and the team's region; it
 *   reconciles visits and minutes with silver.visits; the build reads silver.visits twice (the device totals,
 *   and the visits they are joined back to)
 *
 * night: v7 d4 dave 2 appended (a second file) → d4
 *        bob moves to t2 → the devices of bob's visits in gold.visits: d2
 *        t2 is renamed west → the devices of t2's visits in gold.visits (before the night): d3
 *   keys {d2, d3, d4}
 *   rows read by the job:
 *     silver.visits, cut to the keys: both files hold a key, 7 rows, read once (not once for each of the
 *       build's two uses and once more for the reconciliations)                                          7
 *     silver.owners and silver.teams, looked up whole by the build                                   4 + 3
 *     gold.visits once for both lookups (bob, t2)                                                         6
 *     gold.visits twice by the replace: to find the files holding d2, d3, d4, then to copy their other rows  6 + 6
 *     the change feeds: v7's file; owners' and teams' new versions are whole rewrites, whose feeds read the
 *       files removed and added                                                          1 + (4 + 4) + (3 + 3)
 *                                                                                               total 47
 * </pre>
 */
class ByKeyReadsTest {
    private static DeltaTables tables;

    /** Visits with their device's total minutes, owner's team and team's region. */
    private static final Job VISITS = new Job() {
        @Override
        public String output() {
            return "gold.visits";
        }

        @Override
        public List<String> inputs() {
            return List.of("silver.visits", "silver.owners", "silver.teams");
        }

        @Override
        public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
            Dataset<Row> visits = in.get("silver.visits");
            Dataset<Row> totals = visits.groupBy("device").agg(sum("minutes").as("device_minutes"));
            return Built.of(visits.join(totals, Using.columns("device"))
                    .join(in.get("silver.owners"), Using.columns("owner"), "left")
                    .join(in.get("silver.teams"), Using.columns("team"), "left")
                    .select("visit_id", "device", "owner", "minutes", "device_minutes", "team", "region"));
        }

        @Override
        public String grain() {
            return "one row per visit";
        }

        @Override
        public List<String> primaryKey() {
            return List.of("visit_id");
        }

        @Override
        public List<Reconciliation> reconciliations() {
            return List.of(new Reconciliation("visits", "silver.visits", lit(1L), lit(1L)),
                    new Reconciliation("minutes", "silver.visits", col("minutes"), col("minutes")));
        }

        @Override
        public Incremental incremental() {
            return Incremental.byKey("device")
                    .with("silver.visits", Incremental.Rule.column("device"))
                    .with("silver.owners", Incremental.Rule.viaOutput("owner", "owner"))
                    .with("silver.teams", Incremental.Rule.viaOutput("team", "team"));
        }
    };

    @BeforeAll
    static void aNight() {
        // The gold layer alone, as an Airflow task runs it: the test writes the silver tables itself.
        tables = JobNights.pipelineNights("by-key-reads", VISITS, List.of("silver.visits", "silver.owners",
                "silver.teams"), t -> {
                    t.overwrite("silver.visits", rows("visit_id device owner minutes", "v1 d1 alice 5",
                            "v2 d1 alice 10", "v3 d2 bob 7", "v4 d3 carol 3", "v5 d3 carol 4", "v6 d4 dave 8"),
                            List.of());
                    t.overwrite("silver.owners", rows("owner team", "alice t1", "bob t1", "carol t2", "dave t3"),
                            List.of());
                    t.overwrite("silver.teams", rows("team region", "t1 north", "t2 south", "t3 east"), List.of());
                }, t -> {
                    t.append("silver.visits", rows("visit_id device owner minutes", "v7 d4 dave 2"));
                    t.overwrite("silver.owners", rows("owner team", "alice t1", "bob t2", "carol t2", "dave t3"),
                            List.of());
                    t.overwrite("silver.teams", rows("team region", "t1 north", "t2 west", "t3 east"), List.of());
                });
    }

    @Test
    void theNightRebuildsTheDevicesItsThreeInputsReach() {
        Row log = night();
        assertEquals("by_key", log.getAs("mode"));
        assertEquals("rebuilt 3 device values changed in silver.owners, silver.teams, silver.visits",
                log.<String>getAs("message").split("; ")[0]);
        assertEquals(List.of("v1 d1 15 t1 north", "v2 d1 15 t1 north", "v3 d2 7 t2 west", "v4 d3 7 t2 west",
                        "v5 d3 7 t2 west", "v6 d4 10 t3 east", "v7 d4 10 t3 east"),
                tables.read("gold.visits").orderBy("visit_id").collectAsList().stream()
                        .map(r -> r.getAs("visit_id") + " " + r.getAs("device") + " " + r.getAs("device_minutes")
                                + " " + r.getAs("team") + " " + r.getAs("region")).toList());
    }

    @Test
    void itReadsItsKeyedInputOnceAndItsOwnTableOnceForItsLookups() {
        assertEquals(7 + (4 + 3) + 6 + (6 + 6) + (1 + (4 + 4) + (3 + 3)), night().<Long>getAs("read_rows"));
    }

    private static Row night() {
        return JobNights.tonightsLog(tables, VISITS);
    }

    /** A one-file table of string columns (minutes as an int) from space-separated lines, the first naming them. */
    private static Dataset<Row> rows(String header, String... lines) {
        Dataset<Row> d = JobNights.stringRows(header, lines);
        boolean minutes = List.of(d.columns()).contains("minutes");
        return (minutes ? d.withColumn("minutes", col("minutes").cast("int")) : d).coalesce(1);
    }
}
