package com.tobwh.gold;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/** Says in words what the attribution and cohort retention marts say, for the console after a run. */
public final class GrowthSummary {
    private GrowthSummary() {
    }

    /** Channel mix of all conversions so far under one model, with spend and ROAS. */
    public static String attribution(Dataset<Row> mart, String model) {
        List<Row> rows = mart.filter(col("model").equalTo(model)).groupBy("channel")
                .agg(sum("conversions").as("conversions"), sum("attributed_revenue").as("revenue"),
                        sum("spend").as("spend"))
                .filter(col("conversions").gt(0).or(col("spend").gt(0)))
                .orderBy(desc("revenue"), col("channel")).collectAsList();
        double total = rows.stream().mapToDouble(r -> r.<java.math.BigDecimal>getAs("revenue").doubleValue()).sum();
        double conversions = rows.stream().mapToDouble(r -> r.<Double>getAs("conversions")).sum();
        if (conversions == 0) {
            return "  no conversions yet\n";
        }
        StringBuilder b = new StringBuilder(String.format("  %,.0f conversions, revenue %,.0f; by channel (%s):%n",
                conversions, total, model));
        for (Row r : rows) {
            double revenue = r.<java.math.BigDecimal>getAs("revenue").doubleValue();
            double spend = r.<java.math.BigDecimal>getAs("spend").doubleValue();
            b.append(String.format("    %-22s %6.1f conversions  %5.1f%% of revenue  spend %,10.0f  ROAS %s%n",
                    r.<String>getAs("channel"), r.<Double>getAs("conversions"),
                    total == 0 ? 0 : 100 * revenue / total, spend,
                    spend == 0 ? "-" : String.format("%.1f", revenue / spend)));
        }
        return b.toString();
    }

    /** Logo and net revenue retention after 1, 3, 6 and 12 months, over the cohorts that reached them. */
    public static String retention(Dataset<Row> mart) {
        StringBuilder b = new StringBuilder();
        for (int m : new int[] {1, 3, 6, 12}) {
            Row r = mart.filter(col("months_since").equalTo(m)).agg(sum("cohort_accounts"), sum("active_accounts"),
                    sum("mrr"), sum(when(col("net_revenue_retention").isNotNull(),
                            col("mrr").divide(col("net_revenue_retention"))).otherwise(lit(0)))).first();
            if (r.isNullAt(0) || r.getLong(0) == 0) {
                continue;
            }
            double base = r.isNullAt(3) ? 0 : ((Number) r.get(3)).doubleValue();
            double mrr = ((Number) r.get(2)).doubleValue();
            b.append(String.format("  after %2d months: logo retention %.1f%% (%d of %d accounts), NRR %s%n", m,
                    100.0 * r.getLong(1) / r.getLong(0), r.getLong(1), r.getLong(0),
                    base == 0 ? "-" : String.format("%.1f%%", 100 * mrr / base)));
        }
        return b.length() == 0 ? "  no cohort has reached its first month yet\n" : b.toString();
    }
}
