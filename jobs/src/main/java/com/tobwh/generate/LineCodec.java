package com.tobwh.generate;

import java.math.BigDecimal;
import java.util.List;

/** Encodes one row as a JSON Lines object or an RFC 4180 CSV record, always on a single line. */
final class LineCodec {
    /** Marks a JSON field left out altogether (as opposed to {@code null}). */
    public static final Object ABSENT = new Object();

    private LineCodec() {
    }

    public static String encode(SourceSchema schema, Object[] row) {
        return schema.format() == SourceSchema.Format.CSV ? csv(row) : json(schema.columns(), row);
    }

    /** Money (BigDecimal) is written as a JSON string, as the contract calls it a decimal string. */
    public static String json(List<String> columns, Object[] row) {
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        boolean first = true;
        for (int i = 0; i < columns.size(); i++) {
            Object v = row[i];
            if (v == ABSENT) {
                continue;
            }
            if (!first) {
                b.append(',');
            }
            first = false;
            jsonString(b, columns.get(i));
            b.append(':');
            jsonValue(b, v);
        }
        return b.append('}').toString();
    }

    public static void jsonValue(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof BigDecimal d) {
            jsonString(b, d.toPlainString());
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else {
            jsonString(b, v.toString());
        }
    }

    public static void jsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    public static String csv(Object[] row) {
        StringBuilder b = new StringBuilder(128);
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(csvField(row[i]));
        }
        return b.toString();
    }

    public static String csvHeader(List<String> columns) {
        return String.join(",", columns);
    }

    /** Quotes only when needed; null is an empty field. */
    public static String csvField(Object v) {
        if (v == null) {
            return "";
        }
        String s = v instanceof BigDecimal d ? d.toPlainString() : v.toString();
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("CSV records must stay on one line: " + s);
        }
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0
                || (!s.isEmpty() && (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' '));
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
