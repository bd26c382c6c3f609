package com.tobwh.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.tobwh.bronze.BronzeJob;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every silver and gold table is documented in schemas/tables: title, grain, the job's primary key, each column. */
class TableDocsTest {
    @Test
    void everyTableHasItsGrainKeyAndColumnDescriptions() {
        Map<String, JsonNode> docs = TableSchemas.all();
        for (Job job : Warehouse.graph().ordered()) {
            if (job instanceof BronzeJob) {
                continue;
            }
            JsonNode doc = docs.get(job.output());
            assertTrue(doc != null, "schemas/tables/" + job.output() + ".schema.json is missing");
            assertFalse(doc.path("x-grain").asText().isBlank(), job.output() + " has no x-grain");
            assertFalse(doc.path("title").asText().isBlank(), job.output() + " has no title");
            List<String> pk = new ArrayList<>();
            doc.path("x-primary-key").forEach(k -> pk.add(k.asText()));
            assertEquals(job.primaryKey(), pk, job.output() + " documents another primary key");
            doc.get("properties").fields().forEachRemaining(c -> assertTrue(
                    c.getValue().path("description").asText().length() > 10,
                    job.output() + "." + c.getKey() + " has no real description"));
        }
    }
}
