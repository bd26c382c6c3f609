package com.tobwh.gold;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/** Says in words what gold.mart_revenue_concentration says for the as-of year and trailing 12 months. */
public final class ConcentrationSummary {
    private ConcentrationSummary() {
    }

    public static String text(Dataset<Row> mart, LocalDate asOf) {
        StringBuilder b = new StringBuilder();
        line(b, mart, "year", asOf.withDayOfYear(1), asOf.getYear() + " revenue (to " + asOf + ")");
        line(b, mart, "trailing_12m", asOf.withDayOfMonth(1), "trailing-12-month revenue to " + asOf.withDayOfMonth(1)
                .plusMonths(1).minusDays(1));
        return b.toString();
    }

    private static void line(StringBuilder b, Dataset<Row> mart, String type, LocalDate period, String what) {
        List<Row> rows = mart.filter(col("period_type").equalTo(type)
                .and(col("period").equalTo(lit(java.sql.Date.valueOf(period))))).collectAsList();
        if (rows.isEmpty() || rows.get(0).<Long>getAs("customers") == 0) {
            b.append(String.format("  %s: no paying customers%n", what));
            return;
        }
        Row r = rows.get(0);
        b.append(String.format("  top 20%% of customers (%d of %d) = %.1f%% of %s; top 10 = %.1f%%; "
                        + "Gini %.2f; HHI %.3f; revenue %,.0f%n",
                r.<Long>getAs("top_20pct_customers"), r.<Long>getAs("customers"),
                100 * r.<Double>getAs("top_20pct_revenue_share"), what,
                100 * r.<Double>getAs("top_10_revenue_share"), r.<Double>getAs("gini"), r.<Double>getAs("hhi"),
                r.<java.math.BigDecimal>getAs("revenue").doubleValue()));
    }
}
