package com.tobwh.gold;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import com.tobwh.pipeline.Using;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

/**
 * gold.mart_revenue_concentration (published contract): per year, quarter, month and trailing 12 months, how
 * concentrated net revenue is across customers — top-20% share (the 80/20 rule), top-10 share, Gini and HHI.
 */
public final class MartRevenueConcentration implements Job {
    @Override
    public String output() {
        return "gold.mart_revenue_concentration";
    }

    @Override
    public List<String> inputs() {
        return List.of("gold.fct_orders");
    }

    @Override
    public Incremental incremental() {
        // An order feeds its year, quarter and month and the trailing 12 months ending in its month and the 11
        // after it (up to the run's month). The run date moving on reaches the periods holding the new days.
        return Incremental.byKey("period_type", "period")
                .with("gold.fct_orders", Incremental.Rule.keys(ctx -> periodsOf(col("order_date"), ctx.asOf())))
                .onRunDates(ctx -> periodsOf(col("date"), ctx.asOf()));
    }

    /** The keys ({@code period_type|period}) of the periods a day's revenue counts in, none after {@code asOf}. */
    static Column periodsOf(Column day, LocalDate asOf) {
        Column month = trunc(day, "MM");
        Column trailingEnds = sequence(month, least(add_months(month, 11), trunc(lit(Date.valueOf(asOf)), "MM")),
                expr("interval 1 month"));
        Column periods = concat(
                array(key("year", trunc(day, "YEAR")), key("quarter", trunc(day, "quarter")), key("month", month)),
                transform(trailingEnds, end -> key("trailing_12m", end)));
        return when(day.leq(lit(Date.valueOf(asOf))), periods);
    }

    private static Column key(String periodType, Column period) {
        return concat_ws("|", lit(periodType), period.cast("string"));
    }

    @Override
    public String grain() {
        return "one row per period_type (year|quarter|month|trailing_12m) and period (its first day; "
                + "trailing_12m: its last month's first day)";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("period_type", "period");
    }

    @Override
    public List<String> zorderBy() {
        // Readers pick one period_type and a period (where period_type = 'year').
        return List.of("period_type", "period");
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("top_20pct_revenue_share in [0,1]", share("top_20pct_revenue_share")),
                new Check("top_10_revenue_share in [0,1]", share("top_10_revenue_share")),
                new Check("hhi in [0,1]", share("hhi")),
                new Check("gini in [0,1)", col("gini").isNull().or(col("gini").geq(-1e-12).and(col("gini").lt(1)))),
                new Check("top_20pct_customers = ceil(0.2 x customers)",
                        col("top_20pct_customers").equalTo(ceil(col("customers").multiply(0.2)))));
    }

    private static Column share(String c) {
        return col(c).isNull().or(col(c).geq(-1e-12).and(col(c).leq(1 + 1e-12)));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Date asOf = Date.valueOf(ctx.asOf());
        Column asOfMonth = trunc(lit(asOf), "MM");
        Dataset<Row> orders = in.get("gold.fct_orders")
                .filter(col("order_date").leq(lit(asOf)))
                .select(col("account_id"), col("order_date"), col("net_revenue_rc").as("net"));
        Column month = trunc(col("order_date"), "MM");
        // An order counts in the trailing-12-month windows that end in its month and the 11 months after it.
        Column trailingEnds = explode(sequence(month, least(add_months(month, 11), asOfMonth), expr("interval 1 month")));
        Dataset<Row> byPeriod = orders.select(lit("year").as("period_type"), trunc(col("order_date"), "YEAR").as("period"),
                        col("account_id"), col("net"))
                .unionByName(orders.select(lit("quarter").as("period_type"), trunc(col("order_date"), "quarter").as("period"),
                        col("account_id"), col("net")))
                .unionByName(orders.select(lit("month").as("period_type"), month.as("period"),
                        col("account_id"), col("net")))
                .unionByName(orders.select(lit("trailing_12m").as("period_type"), trailingEnds.as("period"),
                        col("account_id"), col("net")));
        Dataset<Row> perAccount = byPeriod.groupBy("period_type", "period", "account_id")
                .agg(sum("net").as("revenue"));
        Dataset<Row> periods = perAccount.groupBy("period_type", "period").agg(count(lit(1)).as("_accounts"));

        WindowSpec period = Window.partitionBy("period_type", "period");
        Dataset<Row> ranked = perAccount.filter(col("revenue").gt(0))
                .withColumn("rank_desc", row_number().over(period.orderBy(col("revenue").desc(), col("account_id").asc())))
                .withColumn("n", count(lit(1)).over(period))
                .withColumn("total", sum("revenue").over(period).cast("double"))
                .withColumn("cut", ceil(col("n").multiply(0.2)));
        Dataset<Row> stats = ranked.groupBy("period_type", "period").agg(
                max("n").as("customers"),
                sum("revenue").as("revenue"),
                max("cut").as("top_20pct_customers"),
                sum(when(col("rank_desc").leq(col("cut")), col("revenue")).otherwise(0)).cast("double")
                        .divide(max("total")).as("top_20pct_revenue_share"),
                sum(when(col("rank_desc").leq(10), col("revenue")).otherwise(0)).cast("double")
                        .divide(max("total")).as("top_10_revenue_share"),
                // Gini over ascending ranks i = n - rank_desc + 1: 2*sum(i*x)/(n*sum(x)) - (n+1)/n.
                sum(col("n").minus(col("rank_desc")).plus(1).multiply(col("revenue").cast("double"))).multiply(2)
                        .divide(max("n").multiply(max("total")))
                        .minus(max("n").plus(1).divide(max("n"))).as("gini"),
                sum(pow(col("revenue").cast("double").divide(col("total")), 2)).as("hhi"));
        Dataset<Row> mart = periods.join(stats, Using.columns("period_type", "period"), "left")
                .select(col("period_type"), col("period"),
                        when(col("customers").isNull(), lit(0L)).otherwise(col("customers")).as("customers"),
                        when(col("revenue").isNull(), lit(0)).otherwise(col("revenue")).cast("decimal(20,4)").as("revenue"),
                        when(col("top_20pct_customers").isNull(), lit(0L)).otherwise(col("top_20pct_customers"))
                                .cast("long").as("top_20pct_customers"),
                        col("top_20pct_revenue_share"), col("top_10_revenue_share"),
                        // Floating error can leave -1e-17 for a perfectly equal split.
                        when(col("gini").lt(0), lit(0.0)).otherwise(col("gini")).as("gini"),
                        col("hhi"));
        return Built.of(mart);
    }
}
