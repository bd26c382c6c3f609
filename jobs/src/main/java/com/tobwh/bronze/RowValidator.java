package com.tobwh.bronze;

import com.tobwh.bronze.LandingSchema.FieldRule;
import org.apache.spark.sql.Column;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/** Compiles a landing schema's field rules into Spark column expressions: one readable reason per broken rule. */
public final class RowValidator {
    static final String INTEGER = "^-?[0-9]+$";
    static final String NUMBER = "^-?[0-9]+(\\.[0-9]+)?$";
    static final String DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
    static final String DATE_TIME = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:?[0-9]{2})$";

    private RowValidator() {
    }

    /**
     * All broken rules of a row, joined with "; ", or null when the row is valid. {@code fieldCol} maps a field
     * name to its raw text column (as parsed, before typing).
     */
    public static Column errors(LandingSchema schema, java.util.function.Function<String, Column> fieldCol) {
        List<Column> reasons = new ArrayList<>();
        for (FieldRule f : schema.fields) {
            reasons.addAll(fieldErrors(f, fieldCol.apply(f.name)));
        }
        Column joined = concat_ws("; ", reasons.toArray(new Column[0]));
        return when(length(joined).gt(0), joined);
    }

    /** The typed value of a field whose text passed its checks. */
    public static Column typed(FieldRule f, Column raw) {
        Column v = trim(raw);
        if (f.type.equals("boolean")) {
            return v.equalTo("true").as(f.name);
        }
        return v.cast(f.sparkType()).as(f.name);
    }

    static List<Column> fieldErrors(FieldRule f, Column raw) {
        List<Column> out = new ArrayList<>();
        String field = "field '" + f.name + "'";
        Column v = trim(raw);
        Column shown = concat(lit("'"), substring(raw, 1, 60), lit("'"));
        if (!f.allowsNull()) {
            out.add(when(raw.isNull(), lit("missing required " + field)));
        }
        if (f.minLength != null && f.minLength > 0) {
            out.add(when(raw.isNotNull().and(length(v).lt(f.minLength)), lit(field + " is empty")));
        }
        Column typeOk;
        String typeName;
        if ("date".equals(f.format)) {
            typeOk = v.rlike(DATE).and(v.cast("date").isNotNull());
            typeName = "is not a date (YYYY-MM-DD)";
        } else if ("date-time".equals(f.format)) {
            typeOk = v.rlike(DATE_TIME).and(v.cast("timestamp").isNotNull());
            typeName = "is not an ISO-8601 timestamp with offset";
        } else {
            switch (f.type) {
                case "integer" -> {
                    typeOk = v.rlike(INTEGER).and(v.cast("bigint").isNotNull());
                    typeName = "is not an integer";
                }
                case "number" -> {
                    typeOk = v.rlike(NUMBER);
                    typeName = "is not a decimal number";
                }
                case "boolean" -> {
                    typeOk = v.isin("true", "false");
                    typeName = "is not true or false";
                }
                default -> {
                    typeOk = lit(true);
                    typeName = null;
                }
            }
        }
        Column present = raw.isNotNull().and(length(v).gt(0));
        if (typeName != null) {
            out.add(when(present.and(typeOk.isNull().or(not(typeOk))),
                    concat(lit(field + " "), shown, lit(" " + typeName))));
        }
        Column checkable = present.and(typeOk);
        if (f.enumValues != null) {
            out.add(when(checkable.and(not(v.isin(f.enumValues.toArray()))),
                    concat(lit(field + " "), shown, lit(" is not one of " + String.join("|", f.enumValues)))));
        }
        if (f.pattern != null) {
            out.add(when(checkable.and(not(v.rlike(f.pattern))),
                    concat(lit(field + " "), shown, lit(" does not match " + f.pattern))));
        }
        Column number = v.cast("decimal(38,10)");
        if (f.minimum != null) {
            out.add(when(checkable.and(number.lt(lit(dec(f.minimum)))),
                    concat(lit(field + " "), shown, lit(" is below the minimum " + plain(f.minimum)))));
        }
        if (f.exclusiveMinimum != null) {
            out.add(when(checkable.and(number.leq(lit(dec(f.exclusiveMinimum)))),
                    concat(lit(field + " "), shown, lit(" must be greater than " + plain(f.exclusiveMinimum)))));
        }
        if (f.maximum != null) {
            out.add(when(checkable.and(number.gt(lit(dec(f.maximum)))),
                    concat(lit(field + " "), shown, lit(" is above the maximum " + plain(f.maximum)))));
        }
        if (f.multipleOf != null) {
            int decimals = Math.max(0, dec(f.multipleOf).stripTrailingZeros().scale());
            String re = decimals == 0 ? INTEGER : "^-?[0-9]+(\\.[0-9]{1," + decimals + "})?$";
            out.add(when(checkable.and(not(v.rlike(re))),
                    concat(lit(field + " "), shown, lit(" has more than " + decimals + " decimals"))));
        }
        return out;
    }

    private static BigDecimal dec(double d) {
        return new BigDecimal(Double.toString(d));
    }

    private static String plain(double d) {
        return dec(d).stripTrailingZeros().toPlainString();
    }
}
