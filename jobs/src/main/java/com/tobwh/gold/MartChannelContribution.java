package com.tobwh.gold;

import com.tobwh.config.ChannelRules;
import com.tobwh.gold.attribution.AttributionModels;
import com.tobwh.gold.attribution.Journeys;
import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import com.tobwh.pipeline.Using;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

/**
 * gold.mart_channel_contribution (published contract): the monthly funnel per channel — new leads by first-touch
 * channel, opportunities and customers and revenue credited by the configured default model, spend, and the
 * channel's share of the month's revenue.
 */
public final class MartChannelContribution implements Job {
    @Override
    public String output() {
        return "gold.mart_channel_contribution";
    }

    @Override
    public List<String> inputs() {
        return List.of("gold.fct_attribution", "gold.fct_opportunities", "gold.fct_touches", "gold.dim_contact",
                "gold.fct_spend");
    }

    @Override
    public Incremental incremental() {
        // A month is fed by its new contacts, its conversions' credits under the default model, its spend, and its
        // opportunities with the touches in their lookback. A default model fitted per month (Markov, Shapley) also
        // counts the opportunities of the months before (dataDrivenFitMonths) and the journeys open at the month's
        // end: an opportunity then feeds every month from its own (it closes the account's open journey), a touch
        // the fits counting the opportunities it is credited for.
        return Incremental.byKey("month")
                .with("gold.dim_contact", Incremental.Rule.keys(ctx -> trunc(col("created_date"), "MM")))
                .with("gold.fct_attribution", Incremental.Rule.keys(ctx ->
                        when(col("model").equalTo(ctx.cfg().defaultAttributionModel), col("conversion_month")),
                        Incremental.Rule.inKeyMonths("conversion_month")))
                .with("gold.fct_spend", Incremental.Rule.keys(ctx -> trunc(col("date"), "MM"),
                        Incremental.Rule.inKeyMonths("month")))
                .with("gold.fct_opportunities", Incremental.Rule.keys(ctx -> !fittedDefault(ctx)
                        ? col("created_month") : Journeys.monthsToRunDate(col("created_month"), ctx.asOf())))
                .with("gold.fct_touches", Incremental.Rule.keys(ctx -> Journeys.monthsFed(col("touch_time"),
                        ctx.cfg().lookbackDays, fitMonths(ctx)), (ctx, keys) -> Journeys.touchMonthsFeeding(
                        "touch_month", keys, ctx.cfg().lookbackDays, fitMonths(ctx))))
                .onRunDates(ctx -> trunc(col("date"), "MM"))
                // A contact's new account version, an opportunity's new stage or a touch's new keys is no change to
                // a month's leads or opportunity credits.
                .reading("gold.dim_contact", "contact_id", "created_date", "first_touch_channel")
                .reading("gold.fct_opportunities", "opportunity_id", "account_id", "created_at", "created_month")
                .reading("gold.fct_touches", "touch_id", "account_id", "touch_time", "touch_month", "channel");
    }

    private static boolean fittedDefault(RunContext ctx) {
        return AttributionModels.fitted(ctx.cfg().defaultAttributionModel);
    }

    /** How many months of conversions the default model's fit for a month counts (1: it is not fitted). */
    private static int fitMonths(RunContext ctx) {
        return fittedDefault(ctx) ? ctx.cfg().dataDrivenFitMonths : 1;
    }

    @Override
    public String grain() {
        return "one row per month and channel";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("month", "channel");
    }

    @Override
    public List<String> zorderBy() {
        // Readers filter a range of months, often one channel.
        return List.of("month", "channel");
    }

    @Override
    public List<Check> checks() {
        return List.of(new Check("contribution_share within [0, 1]",
                col("contribution_share").isNull().or(col("contribution_share").between(-1e-12, 1 + 1e-12))));
    }

    @Override
    public List<GroupCheck> groupChecks() {
        return List.of(new GroupCheck("contribution shares of a month add up to 1", List.of("month"),
                sum("revenue").equalTo(0).or(abs(sum(coalesce(col("contribution_share"), lit(0.0))).minus(1.0))
                        .lt(1e-9))));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        String model = ctx.cfg().defaultAttributionModel;
        String unattributed = ChannelRules.of(ctx.cfg()).unattributed;
        Dataset<Row> leads = in.get("gold.dim_contact").filter(col("contact_id").isNotNull())
                .groupBy(trunc(col("created_date"), "MM").as("month"),
                        coalesce(col("first_touch_channel"), lit(unattributed)).as("channel"))
                .agg(count(lit(1)).as("leads"));
        Dataset<Row> customers = in.get("gold.fct_attribution").filter(col("model").equalTo(model))
                .groupBy(col("conversion_month").as("month"), col("channel"))
                .agg(sum("credit").as("customers"), sum("attributed_revenue_rc").as("_revenue"));
        Dataset<Row> opportunities = opportunityCredits(in, ctx, model, unattributed);
        Dataset<Row> spend = FctSpend.byMonthAndChannel(in.get("gold.fct_spend"));
        Column lastMonth = lit(ctx.asOf().withDayOfMonth(1).toString()).cast("date");
        Dataset<Row> all = leads.join(opportunities, Using.columns("month", "channel"), "full")
                .join(customers, Using.columns("month", "channel"), "full")
                .join(spend, Using.columns("month", "channel"), "full")
                .filter(col("month").leq(lastMonth))
                .withColumn("_revenue", coalesce(col("_revenue"), lit(0.0)));
        Column monthRevenue = sum("_revenue").over(Window.partitionBy("month"));
        return Built.of(all.select(col("month"), col("channel"), coalesce(col("leads"), lit(0L)).as("leads"),
                coalesce(col("opportunities"), lit(0.0)).as("opportunities"),
                coalesce(col("customers"), lit(0.0)).as("customers"),
                round(col("_revenue"), 4).cast("decimal(18,4)").as("revenue"),
                coalesce(col("_spend"), lit(0)).cast("decimal(18,4)").as("spend"),
                when(monthRevenue.gt(0), col("_revenue").divide(monthRevenue)).as("contribution_share")));
    }

    /** Opportunities credited like conversions: the account's touches before the opportunity was opened. */
    private static Dataset<Row> opportunityCredits(Map<String, Dataset<Row>> in, RunContext ctx, String model,
                                                   String unattributed) {
        Dataset<Row> opps = in.get("gold.fct_opportunities").filter(col("account_id").isNotNull())
                .select(col("opportunity_id").as("conversion_id"), col("account_id"),
                        col("created_at").as("conversion_time"), col("created_month").as("conversion_month"));
        Dataset<Row> touches = in.get("gold.fct_touches").select("touch_id", "account_id", "touch_time", "channel");
        int lookback = ctx.cfg().lookbackDays;
        Dataset<Row> journeys = Journeys.of(opps, touches, lookback);
        Dataset<Row> credited = AttributionModels.credits(journeys,
                Journeys.open(opps, touches, lookback, ctx.asOf(), ctx.cfg().zone()), List.of(model),
                FctAttribution.settings(ctx));
        Dataset<Row> touchless = Journeys.touchless(opps, journeys)
                .withColumn("channel", lit(unattributed)).withColumn("credit", lit(1.0));
        return credited.select("conversion_month", "channel", "credit")
                .unionByName(touchless.select("conversion_month", "channel", "credit"))
                .groupBy(col("conversion_month").as("month"), col("channel")).agg(sum("credit").as("opportunities"));
    }
}
