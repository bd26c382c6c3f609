package com.tobwh.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.tobwh.io.SchemaFiles;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The documented shape of warehouse tables ({@code schemas/tables/}): a published table may not drift from it. */
public final class TableSchemas {
    private static volatile Map<String, JsonNode> cached;

    private TableSchemas() {
    }

    static synchronized Map<String, JsonNode> all() {
        if (cached == null) {
            cached = SchemaFiles.read("tables");
        }
        return cached;
    }

    /**
     * The rows with each documented column's description attached as its comment, which Delta keeps in the table
     * schema and BI tools show (DESCRIBE, JDBC column remarks).
     */
    public static Dataset<Row> withComments(String table, Dataset<Row> rows) {
        JsonNode doc = all().get(table);
        if (doc == null) {
            return rows;
        }
        JsonNode props = doc.get("properties");
        Column[] cols = Arrays.stream(rows.columns()).map(c -> {
            JsonNode d = props.path(c).path("description");
            return d.isTextual() ? rows.col(c).as(c, new MetadataBuilder().putString("comment", d.asText()).build())
                    : rows.col(c);
        }).toArray(Column[]::new);
        return rows.select(cols);
    }

    /** The documented one-line grain of a table, or null. */
    public static String grain(String table) {
        JsonNode doc = all().get(table);
        return doc == null || !doc.has("x-grain") ? null : doc.get("x-grain").asText();
    }

    /** A table's documented column names in order, or null when it is not documented. */
    static List<String> columns(String table) {
        JsonNode doc = all().get(table);
        if (doc == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        doc.get("properties").fieldNames().forEachRemaining(out::add);
        return out;
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
