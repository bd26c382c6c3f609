package com.tobwh.gold;

import com.tobwh.config.ChannelRules;
import com.tobwh.gold.attribution.AttributionModels;
import com.tobwh.gold.attribution.Conversions;
import com.tobwh.gold.attribution.Journeys;
import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

/**
 * gold.fct_attribution: one row per conversion × touch × model with the touch's credit, so every channel figure of
 * the attribution marts can be drilled down to the journeys behind it. A conversion without any touch in the lookback
 * window gets one row per model for channel {@code unattributed} with the whole credit.
 */
public final class FctAttribution implements Job {
    /** touch_id of the row that carries a touchless conversion's credit. */
    public static final String NO_TOUCH = "none";

    @Override
    public String output() {
        return "gold.fct_attribution";
    }

    @Override
    public List<String> inputs() {
        return List.of("gold.fct_orders", "gold.fct_touches", "gold.dim_channel");
    }

    @Override
    public Incremental incremental() {
        // A month's rows are its conversions' journeys, and its Markov and Shapley fits over the conversions of the
        // dataDrivenFitMonths to it and the journeys open at its end (at the run date for the month in progress).
        // So a conversion feeds its month and every later one (it closes the account's open journey), a touch the
        // months of the conversions within the lookback after it and the fits counting them, and the run date the
        // month in progress.
        return Incremental.byKey("conversion_month")
                .with("gold.fct_orders", Incremental.Rule.keys(ctx -> when(col("order_type").equalTo("new"),
                        Journeys.monthsToRunDate(trunc(col("order_date"), "MM"), ctx.asOf()))))
                .with("gold.fct_touches", Incremental.Rule.keys(ctx -> Journeys.monthsFed(col("touch_time"),
                        ctx.cfg().lookbackDays, ctx.cfg().dataDrivenFitMonths), (ctx, keys) ->
                        Journeys.touchMonthsFeeding("touch_month", keys, ctx.cfg().lookbackDays,
                                ctx.cfg().dataDrivenFitMonths)))
                .with("gold.dim_channel", Incremental.Rule.ignore())
                .onRunDates(ctx -> trunc(col("date"), "MM"))
                // A touch's re-keyed account or contact (a new account version) or an order's new seats or service
                // dates are no change to a journey.
                .reading("gold.fct_orders", "order_id", "account_id", "account_key", "order_date", "order_type",
                        "status", "amount_rc")
                .reading("gold.fct_touches", "touch_id", "account_id", "touch_time", "touch_month", "touch_type",
                        "channel", "channel_key", "campaign_key");
    }

    @Override
    public String grain() {
        return "one row per conversion (first paid new order) × touch in its lookback window × attribution model";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("conversion_id", "model", "touch_id");
    }

    @Override
    public List<String> partitionBy() {
        // A night replaces the months it refits; the other months' files are neither read nor rewritten.
        return List.of("conversion_month");
    }

    @Override
    public List<String> zorderBy() {
        // The drill-down from a mart row: one month (the partition), one model, one channel.
        return List.of("model", "channel");
    }

    @Override
    public List<Check> checks() {
        return List.of(new Check("credit within [0, 1]", col("credit").between(-1e-12, 1 + 1e-12)));
    }

    @Override
    public List<GroupCheck> groupChecks() {
        return List.of(new GroupCheck("the credits of each conversion add up to 1 under every model",
                List.of("conversion_id", "model"), abs(sum("credit").minus(1.0)).lt(1e-9)));
    }

    @Override
    public List<ForeignKey> foreignKeys() {
        return List.of(new ForeignKey("channel_key", "gold.dim_channel"));
    }

    @Override
    public List<Metric> metrics() {
        return List.of(new Metric("conversions without any touch in the lookback window (unattributed)",
                sum(when(col("touch_id").equalTo(NO_TOUCH).and(col("model").equalTo("first_touch")), 1).otherwise(0))));
    }

    /** The models of the run, all of CONTRACT.md's. */
    public static AttributionModels.Settings settings(RunContext ctx) {
        ChannelRules rules = ChannelRules.of(ctx.cfg());
        Set<String> direct = rules.channels.stream().filter(c -> "direct".equals(c.group)).map(c -> c.name)
                .collect(Collectors.toSet());
        return new AttributionModels.Settings(ctx.cfg().timeDecayHalfLifeDays, direct, 12,
                ctx.cfg().dataDrivenFitMonths);
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        Dataset<Row> conversions = Conversions.firstPaidNew(in.get("gold.fct_orders"));
        Dataset<Row> touches = in.get("gold.fct_touches").select("touch_id", "account_id", "touch_time", "touch_type",
                "channel", "channel_key", "campaign_key");
        int lookback = ctx.cfg().lookbackDays;
        Dataset<Row> journeys = Journeys.of(conversions, touches, lookback);
        Dataset<Row> open = Journeys.open(conversions, touches, lookback, ctx.asOf(), ctx.cfg().zone());
        Dataset<Row> credited = AttributionModels.credits(journeys, open, AttributionModels.ALL, settings(ctx));
        String unattributed = ChannelRules.of(ctx.cfg()).unattributed;
        Dataset<Row> touchless = Journeys.touchless(conversions, journeys);
        return Built.of(shape(credited).unionByName(shape(touchless
                .withColumn("model", explode(functions.array(AttributionModels.ALL.stream().map(functions::lit)
                        .toArray(Column[]::new))))
                .withColumn("touch_id", lit(NO_TOUCH)).withColumn("touch_time", lit(null).cast("timestamp"))
                .withColumn("touch_type", lit(null).cast("string")).withColumn("channel", lit(unattributed))
                .withColumn("channel_key", DimChannel.key(lit(unattributed)))
                .withColumn("campaign_key", lit(Keys.UNKNOWN)).withColumn("touch_number", lit(0))
                .withColumn("touches_in_journey", lit(0))
                .withColumn("days_before_conversion", lit(null).cast("double")).withColumn("credit", lit(1.0)))));
    }

    private static Dataset<Row> shape(Dataset<Row> d) {
        return d.select(col("conversion_id"), col("account_id"), col("account_key"), col("conversion_date"),
                col("conversion_month"), col("conversion_value_rc"), col("model"), col("touch_id"),
                col("touch_type"), col("touch_time"), col("channel"), col("channel_key"), col("campaign_key"),
                col("touch_number").cast("int").as("touch_number"),
                col("touches_in_journey").cast("int").as("touches_in_journey"),
                col("days_before_conversion"), col("credit"),
                col("credit").multiply(col("conversion_value_rc").cast("double")).as("attributed_revenue_rc"));
    }
}
