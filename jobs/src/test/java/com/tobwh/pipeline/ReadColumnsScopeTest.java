package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.gold.DimContact;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A lookup that reads only some columns of a dimension is reached only by changes of those columns.
 *
 * <pre>
 * contacts v0: c1 analyst · c2 cto                 visits: v1 c1 · v2 c2 · v3 c3 (c3 unknown: key -1)
 * contacts v1: c1 manager (a column the visits do not read) · c2 cto · c3 buyer (new)
 * changes over (contact_id, contact_key): only c3's row; over every column: c1's two images and c3's
 * keys rebuilt: v3 only (reading declared); v1 and v3 when every column counts
 * </pre>
 */
class ReadColumnsScopeTest {
    private static final String CONTACTS = "gold.contacts";
    private static final String VISITS = "silver.visits";
    private static final LocalDate DAY = LocalDate.parse("2026-03-02");
    private DeltaTables tables;
    private long contacts0;
    private long contacts1;
    private long visits0;

    /** Visits with the contact's key, looked up by contact id; {@code declared} says which columns it reads. */
    private static Job visitsFact(boolean declared) {
        return new Job() {
            @Override
            public String output() {
                return "gold.fct_visits";
            }

            @Override
            public List<String> inputs() {
                return List.of(VISITS, CONTACTS);
            }

            @Override
            public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
                Dataset<Row> keys = in.get(CONTACTS).select(col("contact_id").as("_id"), col("contact_key"));
                Dataset<Row> visits = in.get(VISITS);
                return Built.of(visits.join(keys, visits.col("contact_id").equalTo(col("_id")), "left")
                        .select(col("visit_id"), col("contact_id"),
                                coalesce(col("contact_key"), lit(-1L)).as("contact_key")));
            }

            @Override
            public String grain() {
                return "one row per visit";
            }

            @Override
            public Incremental incremental() {
                Incremental inc = Incremental.byKey("visit_id")
                        .with(VISITS, Incremental.Rule.column("visit_id"))
                        .with(CONTACTS, Incremental.Rule.viaOutput("contact_id", "contact_id"));
                return declared ? inc.reading(CONTACTS, DimContact.KEY_COLUMNS) : inc;
            }
        };
    }

    @BeforeEach
    void lastRun() {
        tables = new DeltaTables(SparkTestSession.get(),
                SparkTestSession.testConfig(SparkTestSession.scratch("read-columns").resolve("warehouse")));
        contacts0 = tables.overwrite(CONTACTS, contacts("c1 analyst", "c2 cto"), List.of());
        visits0 = tables.overwrite(VISITS, rows("visit_id contact_id", "v1 c1", "v2 c2", "v3 c3"), List.of());
        tables.overwrite("gold.fct_visits", visitsFact(true).build(Map.of(VISITS, tables.read(VISITS),
                CONTACTS, tables.read(CONTACTS)), context()).rows(), List.of());
        contacts1 = tables.overwrite(CONTACTS, contacts("c1 manager", "c2 cto", "c3 buyer"), List.of());
    }

    @Test
    void aChangeOfAColumnTheJobDoesNotReadIsNoChange() {
        Set<String> over = ids(tables.changes(CONTACTS, contacts0, contacts1, List.of("contact_id", "contact_key"))
                .orElseThrow());
        Set<String> whole = ids(tables.changes(CONTACTS, contacts0, contacts1).orElseThrow());
        assertEquals(Set.of("c3"), over);
        assertEquals(Set.of("c1", "c3"), whole);
    }

    @Test
    void theLookupRebuildsOnlyTheVisitsOfTheNewContact() {
        assertEquals(Set.of("v3"), plan(visitsFact(true)).keys());
        assertEquals(Set.of("v1", "v3"), plan(visitsFact(false)).keys());
    }

    private Scope plan(Job job) {
        return Scope.plan(job, context(), tables, new JobState(Map.of(VISITS, visits0, CONTACTS, contacts0), DAY),
                Map.of(VISITS, visits0, CONTACTS, contacts1),
                Map.of(VISITS, tables.read(VISITS), CONTACTS, tables.readAt(CONTACTS, contacts1)));
    }

    private static RunContext context() {
        return new RunContext("r", DAY, DAY, SparkTestSession.testConfig(SparkTestSession.scratch("read-cfg")));
    }

    /** Contacts "id title", keyed as the dimension keys them. */
    private static Dataset<Row> contacts(String... idTitle) {
        return rows("contact_id title", idTitle).withColumn("contact_key", DimContact.key(col("contact_id")));
    }

    private static Dataset<Row> rows(String header, String... lines) {
        return JobNights.stringRows(header, lines);
    }

    private static Set<String> ids(Dataset<Row> changes) {
        return Set.copyOf(changes.select("contact_id").distinct().collectAsList().stream()
                .map(r -> r.getString(0)).toList());
    }
}
