package com.tobwh.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.tobwh.io.SchemaFiles;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The documented shape of warehouse tables ({@code schemas/tables/}): a published table may not drift from it. */
public final class TableSchemas {
    private static volatile Map<String, JsonNode> cached;

    private TableSchemas() {
    }

    static Map<String, JsonNode> all() {
        if (cached == null) {
            cached = SchemaFiles.read("tables");
        }
        return cached;
    }

    /** Differences between a table's documented columns and what the job produced; empty when they agree. */
    public static List<String> drift(String table, StructType actual) {
        JsonNode doc = all().get(table);
        List<String> out = new ArrayList<>();
        if (doc == null) {
            return out;
        }
        List<String> expected = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = doc.get("properties").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            expected.add(e.getKey() + " " + e.getValue().get("x-spark-type").asText());
        }
        List<String> got = new ArrayList<>();
        for (StructField f : actual.fields()) {
            got.add(f.name() + " " + f.dataType().simpleString());
        }
        if (!expected.equals(got)) {
            out.add("documented columns " + expected + " but built " + got);
        }
        return out;
    }
}
