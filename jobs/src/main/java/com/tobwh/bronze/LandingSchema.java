package com.tobwh.bronze;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** One landing source object as its JSON Schema in {@code schemas/landing/} describes it. */
public final class LandingSchema {
    /** Keywords the run-time validator enforces; any other keyword in a property is refused at load. */
    static final Set<String> SUPPORTED = Set.of("type", "format", "enum", "minimum", "maximum", "exclusiveMinimum",
            "multipleOf", "pattern", "minLength", "description");

    public final String name;
    public final String source;
    /** {@code csv} or {@code jsonl}. */
    public final String format;
    public final Pattern filePattern;
    public final String bronzeTable;
    public final List<FieldRule> fields;

    LandingSchema(String name, JsonNode doc) {
        this.name = name;
        JsonNode landing = require(doc, "x-landing", name);
        this.source = require(landing, "source", name).asText();
        this.format = require(landing, "format", name).asText();
        if (!format.equals("csv") && !format.equals("jsonl")) {
            throw new IllegalArgumentException("schema " + name + ": x-landing.format must be csv or jsonl");
        }
        this.filePattern = Pattern.compile(require(landing, "file", name).asText());
        this.bronzeTable = require(landing, "bronzeTable", name).asText();
        Set<String> required = new java.util.HashSet<>();
        doc.path("required").forEach(n -> required.add(n.asText()));
        List<FieldRule> fs = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = require(doc, "properties", name).fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            fs.add(new FieldRule(name, e.getKey(), e.getValue(), required.contains(e.getKey())));
        }
        for (String r : required) {
            if (fs.stream().noneMatch(f -> f.name.equals(r))) {
                throw new IllegalArgumentException("schema " + name + ": required field '" + r + "' has no property");
            }
        }
        this.fields = Collections.unmodifiableList(fs);
    }

    public List<String> columnNames() {
        return fields.stream().map(f -> f.name).toList();
    }

    public boolean matches(String fileName) {
        return filePattern.matcher(fileName).matches();
    }

    private static JsonNode require(JsonNode n, String key, String schema) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("schema " + schema + ": missing '" + key + "'");
        }
        return v;
    }

    /** The checks of one property, read from its JSON Schema keywords. */
    public static final class FieldRule {
        public final String name;
        /** string, number, integer or boolean. */
        public final String type;
        public final boolean nullable;
        public final boolean required;
        public final String format;
        public final List<String> enumValues;
        public final Double minimum;
        public final Double maximum;
        public final Double exclusiveMinimum;
        public final Double multipleOf;
        public final String pattern;
        public final Integer minLength;
        public final String description;

        FieldRule(String schema, String name, JsonNode p, boolean required) {
            this.name = name;
            p.fieldNames().forEachRemaining(k -> {
                if (!SUPPORTED.contains(k)) {
                    throw new IllegalArgumentException("schema " + schema + ", field " + name
                            + ": keyword '" + k + "' is not enforced by the validator; supported: " + SUPPORTED);
                }
            });
            JsonNode t = p.get("type");
            String base = null;
            boolean nul = false;
            if (t == null) {
                throw new IllegalArgumentException("schema " + schema + ", field " + name + ": no type");
            }
            for (JsonNode tn : t.isArray() ? t : List.of(t)) {
                if (tn.asText().equals("null")) {
                    nul = true;
                } else {
                    base = tn.asText();
                }
            }
            if (!Set.of("string", "number", "integer", "boolean").contains(base)) {
                throw new IllegalArgumentException("schema " + schema + ", field " + name + ": unsupported type " + t);
            }
            this.type = base;
            this.nullable = nul;
            this.required = required;
            this.format = p.hasNonNull("format") ? p.get("format").asText() : null;
            if (format != null && !format.equals("date") && !format.equals("date-time")) {
                throw new IllegalArgumentException("schema " + schema + ", field " + name + ": unsupported format " + format);
            }
            List<String> ev = null;
            if (p.has("enum")) {
                ev = new ArrayList<>();
                for (JsonNode e : p.get("enum")) {
                    if (!e.isNull()) {
                        ev.add(e.asText());
                    }
                }
            }
            this.enumValues = ev;
            this.minimum = num(p, "minimum");
            this.maximum = num(p, "maximum");
            this.exclusiveMinimum = num(p, "exclusiveMinimum");
            this.multipleOf = num(p, "multipleOf");
            this.pattern = p.hasNonNull("pattern") ? p.get("pattern").asText() : null;
            this.minLength = p.hasNonNull("minLength") ? p.get("minLength").asInt() : null;
            this.description = p.hasNonNull("description") ? p.get("description").asText() : null;
        }

        /** Whether a null value is acceptable: JSON cannot tell an absent key from null after parsing. */
        public boolean allowsNull() {
            return nullable || !required;
        }

        /** The Spark SQL type the bronze table stores this field as. */
        public String sparkType() {
            if ("date".equals(format)) {
                return "date";
            }
            if ("date-time".equals(format)) {
                return "timestamp";
            }
            return switch (type) {
                case "integer" -> "bigint";
                case "boolean" -> "boolean";
                // Money has at most 4 decimals (multipleOf 0.0001); rates may carry more.
                case "number" -> multipleOf != null && multipleOf >= 0.0001 ? "decimal(18,4)" : "decimal(28,10)";
                default -> "string";
            };
        }

        private static Double num(JsonNode p, String k) {
            return p.hasNonNull(k) ? p.get(k).asDouble() : null;
        }
    }
}
