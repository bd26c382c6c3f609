package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.gold.DimAccount;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fact keyed by the account version valid at its time is re-keyed from the time the versions changed, not over
 * the account's whole history.
 *
 * <pre>
 * dim_account v0: a  k11 v1 from 01-01                 c  k31 v1 from 01-01
 * dim_account v1: a  k11 v1 from 01-01 to 03-01 · k12 v2 from 03-01 (a new version)
 *                 b  k21 v1 from 03-10 (a new account)  c as before
 * visits: e1 a 02-10 (k11 before and after) · e2 a 03-05 (k11 → k12) · e3 b 02-01 (-1 → k21: a first version
 *         covers the times before it) · e4 c 03-05 (unchanged account)
 * changed since: a from 03-01 (k11's new valid_to; k12 from its valid_from), b any time (a first version)
 * keys rebuilt: e2 and e3; a plain lookup by account would also rebuild e1
 * </pre>
 */
class VersionLookupScopeTest {
    private static final String DIM = "gold.dim_account";
    private static final String VISITS = "silver.visits";
    private static final LocalDate DAY = LocalDate.parse("2026-03-11");
    private DeltaTables tables;
    private long dim0;
    private long dim1;
    private long visits0;

    /** Visits keyed by the account version at their time; {@code bounded}: the rule by version, or by account. */
    private static Job visitsFact(boolean bounded) {
        return new Job() {
            @Override
            public String output() {
                return "gold.fct_visits";
            }

            @Override
            public List<String> inputs() {
                return List.of(VISITS, DIM);
            }

            @Override
            public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
                return Built.of(DimAccount.withVersionAt(in.get(VISITS), in.get(DIM), "account_id", col("at")));
            }

            @Override
            public String grain() {
                return "one row per visit";
            }

            @Override
            public Incremental incremental() {
                return Incremental.byKey("visit_id")
                        .with(VISITS, Incremental.Rule.column("visit_id"))
                        .with(DIM, bounded ? DimAccount.versionLookup(col("at"))
                                : Incremental.Rule.viaOutput("account_id", "account_id"))
                        .reading(DIM, DimAccount.VERSION_COLUMNS);
            }
        };
    }

    @BeforeEach
    void lastRun() {
        tables = new DeltaTables(SparkTestSession.get(),
                SparkTestSession.testConfig(SparkTestSession.scratch("version-lookup").resolve("warehouse")));
        dim0 = tables.overwrite(DIM, versions("11 a 1 2026-01-01 -", "31 c 1 2026-01-01 -"), List.of());
        visits0 = tables.overwrite(VISITS, SparkTestSession.get().createDataset(List.of(
                "e1 a 2026-02-10", "e2 a 2026-03-05", "e3 b 2026-02-01", "e4 c 2026-03-05"),
                org.apache.spark.sql.Encoders.STRING()).selectExpr("split(value, ' ')[0] AS visit_id",
                "split(value, ' ')[1] AS account_id", "CAST(split(value, ' ')[2] AS TIMESTAMP) AS at"), List.of());
        tables.overwrite("gold.fct_visits", visitsFact(true).build(Map.of(VISITS, tables.read(VISITS),
                DIM, tables.read(DIM)), context()).rows(), List.of());
        dim1 = tables.overwrite(DIM, versions("11 a 1 2026-01-01 2026-03-01", "12 a 2 2026-03-01 -",
                "21 b 1 2026-03-10 -", "31 c 1 2026-01-01 -"), List.of());
    }

    @Test
    void aNewVersionReachesTheFactsFromItsStartAndANewAccountAllOfItsFacts() {
        Map<String, String> since = since(tables.changes(DIM, dim0, dim1, List.of(DimAccount.VERSION_COLUMNS))
                .orElseThrow());
        assertEquals(Map.of("a", "2026-03-01 00:00:00.0", "b", "any time"), since);
        assertEquals(Set.of("e2", "e3"), plan(visitsFact(true)).keys());
        assertEquals(Set.of("e1", "e2", "e3"), plan(visitsFact(false)).keys());
    }

    /**
     * A restated start of a's second version (03-01 → 02-20) moves k11's end and k12's start: from 02-20. A
     * restated start of d's first version: any time (the first version also covers the times before it).
     */
    @Test
    void restatedBoundsReachFromTheEarlierOfTheirTwoImages() {
        Dataset<Row> changes = versions("11 a 1 2026-01-01 2026-03-01", "11 a 1 2026-01-01 2026-02-20",
                "12 a 2 2026-03-01 -", "12 a 2 2026-02-20 -", "41 d 1 2026-01-05 -", "41 d 1 2026-01-07 -");
        assertEquals(Map.of("a", "2026-02-20 00:00:00.0", "d", "any time"), since(changes));
    }

    private Scope plan(Job job) {
        return Scope.plan(job, context(), tables, new JobState(Map.of(VISITS, visits0, DIM, dim0), DAY),
                Map.of(VISITS, visits0, DIM, dim1),
                Map.of(VISITS, tables.read(VISITS), DIM, tables.readAt(DIM, dim1)));
    }

    private static Map<String, String> since(Dataset<Row> changes) {
        Map<String, String> out = new HashMap<>();
        DimAccount.versionsChangedSince(changes).collectAsList().forEach(r -> out.put(r.getString(0),
                r.isNullAt(1) ? "any time" : r.getTimestamp(1).toString()));
        return out;
    }

    private static RunContext context() {
        return new RunContext("r", DAY, DAY, SparkTestSession.testConfig(SparkTestSession.scratch("version-cfg")));
    }

    /** Account versions "key account version valid_from valid_to" ("-": open). */
    private static Dataset<Row> versions(String... rows) {
        SparkSession spark = SparkTestSession.get();
        return spark.createDataset(List.of(rows), org.apache.spark.sql.Encoders.STRING()).selectExpr(
                "CAST(split(value, ' ')[0] AS BIGINT) AS account_key", "split(value, ' ')[1] AS account_id",
                "CAST(split(value, ' ')[2] AS INT) AS version",
                "CAST(split(value, ' ')[3] AS TIMESTAMP) AS valid_from",
                "CAST(nullif(split(value, ' ')[4], '-') AS TIMESTAMP) AS valid_to");
    }
}
