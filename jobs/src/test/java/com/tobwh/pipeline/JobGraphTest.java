package com.tobwh.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run order comes from declared inputs and outputs, never from a hand-kept list. */
class JobGraphTest {
    private static Job job(String output, String... inputs) {
        return new Job() {
            public String output() {
                return output;
            }

            public List<String> inputs() {
                return List.of(inputs);
            }

            public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
                throw new UnsupportedOperationException();
            }

            public String grain() {
                return "test";
            }
        };
    }

    private static List<String> order(Job... jobs) {
        return new JobGraph(List.of(jobs)).ordered().stream().map(Job::output).toList();
    }

    @Test
    void inputsRunBeforeTheirReaders() {
        assertEquals(List.of("bronze.a", "silver.b", "gold.c"),
                order(job("gold.c", "silver.b"), job("silver.b", "bronze.a"), job("bronze.a", "landing.a")));
    }

    @Test
    void aCycleIsRefusedWithItsPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> order(job("silver.x", "silver.y"), job("silver.y", "silver.x")));
        assertTrue(e.getMessage().startsWith("job cycle: silver.x -> silver.y -> silver.x"), e.getMessage());
    }

    @Test
    void anInputNoJobWritesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> order(job("gold.c", "silver.b")));
        assertEquals("gold.c reads silver.b, which no job writes", e.getMessage());
    }

    @Test
    void theWarehouseGraphPutsEveryJobAfterItsInputs() throws Exception {
        JobGraph g = Warehouse.graph();
        List<String> seen = new ArrayList<>();
        for (Job j : g.ordered()) {
            for (String in : j.inputs()) {
                assertTrue(in.startsWith("landing.") || seen.contains(in), j.output() + " before " + in);
            }
            seen.add(j.output());
        }
        JsonNode plan = new ObjectMapper().readTree(g.toJson());
        assertEquals(g.ordered().size(), plan.get("jobs").size());
        List<String> planned = new ArrayList<>();
        plan.get("jobs").forEach(j -> planned.add(j.get("output").asText()));
        assertEquals(seen, planned);
        assertTrue(seen.containsAll(List.of("gold.mart_attribution_channel", "gold.mart_channel_contribution",
                "gold.mart_cohort_retention", "gold.mart_revenue_concentration")));
        assertTrue(seen.contains("bronze.web_traffic") && seen.contains("bronze.support_tickets"));
    }

    @Test
    void jobsOfOneWaveNeverReadEachOther() {
        List<String> done = new ArrayList<>();
        for (List<Job> wave : Warehouse.graph().waves()) {
            List<String> outputs = wave.stream().map(Job::output).toList();
            for (Job j : wave) {
                assertTrue(j.inputs().stream().noneMatch(outputs::contains), j.output() + " reads its own wave");
                assertTrue(j.inputs().stream().allMatch(in -> in.startsWith("landing.") || done.contains(in)),
                        j.output() + " runs before an input");
            }
            done.addAll(outputs);
        }
        assertEquals(Warehouse.graph().ordered().size(), done.size());
    }
}
