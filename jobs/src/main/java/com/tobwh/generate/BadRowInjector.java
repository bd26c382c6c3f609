package com.tobwh.generate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Plants extra bad rows among a file's good lines: a copy of a real row broken in exactly one
 * way, so a validator's reject counts can be checked kind by kind against the manifest. Good rows
 * are never altered or removed, so the good data's distributions do not depend on the share.
 */
final class BadRowInjector {
    private static final List<String> BAD_TIMESTAMPS =
            List.of("2026-13-45T25:61:00+08:00", "yesterday", "not a date", "2026-00-00T09:15:00+08:00");
    private static final List<String> BAD_DATES = List.of("2026-13-45", "yesterday", "2026-00-00", "TBD");

    private final double share;
    private final Rng rng;
    private final Map<SourceSchema, HexIds> freshIds = new EnumMap<>(SourceSchema.class);
    private final Map<SourceSchema, double[]> carry = new EnumMap<>(SourceSchema.class);
    private final long seed;

    public BadRowInjector(double share, long seed) {
        this.share = share;
        this.seed = seed;
        this.rng = Rng.stream(seed, "bad-rows", 0);
    }

    /** Inserts {@code share} x rows bad lines (over all files of a type) at random places in {@code lines}; returns them by kind. */
    public Map<BadRowKind, Integer> plant(SourceSchema schema, List<Object[]> rows, List<String> lines) {
        Map<BadRowKind, Integer> planted = new EnumMap<>(BadRowKind.class);
        if (share <= 0 || rows.isEmpty()) {
            return planted;
        }
        // A running remainder per file type keeps the share exact over many small files; the first
        // file of each type gets at least one, so even tiny sources (orders, fx) carry every kind over time.
        double[] c = carry.computeIfAbsent(schema, k -> new double[] {rng.nextDouble(), 0});
        c[0] += rows.size() * share;
        int n = c[0] >= 1 ? (int) Math.floor(c[0]) : 0;
        c[0] -= n;
        if (c[1] == 0 && n == 0) {
            // Borrowed: the remainder goes negative and later files pay it back.
            n = 1;
            c[0] -= 1;
        }
        c[1] += n;
        List<BadRowKind> kinds = schema.badKinds();
        for (int i = 0; i < n; i++) {
            BadRowKind kind = rng.pick(kinds);
            Object[] row = rows.get(rng.nextInt(rows.size())).clone();
            lines.add(rng.nextInt(lines.size() + 1), corrupt(schema, row, kind));
            planted.merge(kind, 1, Integer::sum);
        }
        return planted;
    }

    String corrupt(SourceSchema schema, Object[] row, BadRowKind kind) {
        if (schema.idField() != null && kind != BadRowKind.MISSING_REQUIRED) {
            // A fresh key: should a reader wrongly load the row, it still cannot replace a good one.
            row[schema.column(schema.idField())] = freshIds
                    .computeIfAbsent(schema, s -> new HexIds(idPrefix(s), seed ^ (0xBADL + s.ordinal())))
                    .next();
        }
        return switch (kind) {
            case MALFORMED_JSON -> {
                String line = LineCodec.encode(schema, row);
                yield line.substring(0, rng.between(line.length() / 3, 2 * line.length() / 3));
            }
            case MALFORMED_CSV -> malformedCsv(row);
            case MISSING_REQUIRED -> {
                String field = rng.pick(schema.requiredFields());
                boolean absent = schema.format() == SourceSchema.Format.JSONL && rng.chance(0.5);
                row[schema.column(field)] = absent ? LineCodec.ABSENT : null;
                yield LineCodec.encode(schema, row);
            }
            case UNKNOWN_ENUM -> {
                // Sorted: Map.of iteration order changes from one JVM run to the next.
                List<String> fields = new ArrayList<>(schema.invalidEnumValues().keySet());
                fields.sort(null);
                String field = rng.pick(fields);
                row[schema.column(field)] = rng.pick(schema.invalidEnumValues().get(field));
                yield LineCodec.encode(schema, row);
            }
            case NEGATIVE_AMOUNT -> {
                int c = schema.column(rng.pick(schema.amountFields()));
                BigDecimal v = row[c] instanceof BigDecimal d ? d : new BigDecimal(String.valueOf(row[c]));
                row[c] = v.signum() == 0 ? new BigDecimal("-1.00") : v.abs().negate();
                yield LineCodec.encode(schema, row);
            }
            case UNPARSEABLE_DATE -> {
                String field = rng.pick(schema.dateFields());
                boolean timestamp = field.endsWith("_at") || field.endsWith("_time");
                row[schema.column(field)] = rng.pick(timestamp ? BAD_TIMESTAMPS : BAD_DATES);
                yield LineCodec.encode(schema, row);
            }
        };
    }

    private static String idPrefix(SourceSchema s) {
        return switch (s) {
            case WEB_EVENTS -> "evt_";
            case CRM_ACCOUNTS -> "acc_";
            case CRM_CONTACTS -> "con_";
            case CRM_OPPORTUNITIES -> "opp_";
            case ORDERS -> "ord_";
            case SUPPORT_TICKETS -> "tkt_";
            default -> "id_";
        };
    }

    private String malformedCsv(Object[] row) {
        int variant = rng.nextInt(3);
        if (variant == 2) {
            int f = rng.nextInt(row.length - 1);
            String raw = LineCodec.csvField(row[f]);
            if (raw.indexOf('"') < 0) {
                // An opening quote that never closes, not on the last field, so even a lenient parser
                // that swallows the rest of the line ends up with too few fields.
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    b.append(i == f ? '"' + raw : LineCodec.csvField(row[i]));
                }
                return b.toString();
            }
            variant = 1;
        }
        if (variant == 0) {
            Object[] shorter = new Object[row.length - 1];
            System.arraycopy(row, 0, shorter, 0, shorter.length);
            return LineCodec.csv(shorter);
        }
        return LineCodec.csv(row) + ",extra";
    }
}
