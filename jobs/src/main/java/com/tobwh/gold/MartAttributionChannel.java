package com.tobwh.gold;

import com.tobwh.gold.attribution.AttributionModels;
import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * gold.mart_attribution_channel (published contract): per conversion month, model and channel, fractional
 * conversions and revenue credited, joined with the channel's spend that month for ROAS and CAC. A channel with spend
 * but no credit still shows its spend (under every model).
 */
public final class MartAttributionChannel implements Job {
    @Override
    public String output() {
        return "gold.mart_attribution_channel";
    }

    @Override
    public List<String> inputs() {
        return List.of("gold.fct_attribution", "gold.fct_spend");
    }

    @Override
    public Incremental incremental() {
        // A month and model is fed by its own conversions' credits and the month's spend (under every model). Markov
        // and Shapley credits are refitted each night, so their rows change in every month; the rule-based models'
        // rows only in the months whose conversions or spend changed. Months after the run date are left out.
        return Incremental.byKey("month", "model")
                .with("gold.fct_attribution", Incremental.Rule.keys(ctx -> concat_ws("|",
                        col("conversion_month").cast("string"), col("model")),
                        Incremental.Rule.inKeyMonths("conversion_month")))
                .with("gold.fct_spend", Incremental.Rule.keys(ctx -> everyModel(trunc(col("date"), "MM")),
                        Incremental.Rule.inKeyMonths("month")))
                .onRunDates(ctx -> everyModel(trunc(col("date"), "MM")));
    }

    /** The keys of a month under every model. */
    private static Column everyModel(Column month) {
        Column[] models = AttributionModels.ALL.stream().map(m -> concat_ws("|", month.cast("string"), lit(m)))
                .toArray(Column[]::new);
        return array(models);
    }

    @Override
    public String grain() {
        return "one row per month (of the conversion), attribution model and channel";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("month", "model", "channel");
    }

    @Override
    public List<String> zorderBy() {
        // Readers pick one model (where model = 'markov') and a range of months.
        return List.of("model", "month");
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("revenue_share within [0, 1]",
                        col("revenue_share").isNull().or(col("revenue_share").between(-1e-12, 1 + 1e-12))),
                new Check("roas is null exactly when there is no spend",
                        col("roas").isNull().equalTo(col("spend").equalTo(0))));
    }

    @Override
    public List<GroupCheck> groupChecks() {
        return List.of(
                new GroupCheck("credited conversions of a month and model add up to a whole number of conversions",
                        List.of("month", "model"), abs(sum("conversions").minus(round(sum("conversions")))).lt(1e-6)),
                new GroupCheck("revenue shares of a month and model add up to 1", List.of("month", "model"),
                        sum("attributed_revenue").equalTo(0)
                                .or(abs(sum(coalesce(col("revenue_share"), lit(0.0))).minus(1.0)).lt(1e-9))));
    }

    @Override
    public List<Reconciliation> reconciliations() {
        return List.of(new Reconciliation("credited conversions", "gold.fct_attribution", col("credit"),
                col("conversions")));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Column lastMonth = lit(ctx.asOf().withDayOfMonth(1).toString()).cast("date");
        Dataset<Row> credited = in.get("gold.fct_attribution")
                .groupBy(col("conversion_month").as("month"), col("model"), col("channel"))
                .agg(sum("credit").as("conversions"), sum("attributed_revenue_rc").as("_revenue"));
        Dataset<Row> models = SparkSession.active().createDataset(AttributionModels.ALL,
                org.apache.spark.sql.Encoders.STRING()).toDF("model");
        Dataset<Row> spend = FctSpend.byMonthAndChannel(in.get("gold.fct_spend"))
                .crossJoin(models);
        Dataset<Row> all = credited.join(spend, com.tobwh.pipeline.Using.columns("month", "model", "channel"), "full")
                .filter(col("month").leq(lastMonth))
                .withColumn("conversions", coalesce(col("conversions"), lit(0.0)))
                .withColumn("_revenue", coalesce(col("_revenue"), lit(0.0)))
                .withColumn("_spend", coalesce(col("_spend"), lit(0).cast("decimal(28,4)")));
        Column monthRevenue = sum("_revenue").over(Window.partitionBy("month", "model"));
        return Built.of(all.select(col("month"), col("model"), col("channel"), col("conversions"),
                round(col("_revenue"), 4).cast("decimal(18,4)").as("attributed_revenue"),
                col("_spend").cast("decimal(18,4)").as("spend"),
                when(col("_spend").gt(0), col("_revenue").divide(col("_spend").cast("double"))).as("roas"),
                when(col("conversions").gt(0), round(col("_spend").cast("double").divide(col("conversions")), 4))
                        .cast("decimal(18,4)").as("cac"),
                when(monthRevenue.gt(0), col("_revenue").divide(monthRevenue)).as("revenue_share")));
    }
}
