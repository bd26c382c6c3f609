package com.tobwh.gold.attribution;

import com.tobwh.pipeline.Using;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The attribution models: each turns a conversion's journey into credits per touch that add up to 1. Rule-based
 * models are window functions over the journey; Markov and Shapley are fitted per conversion month, on the
 * aggregated distinct paths of that month's trailing window (few paths, however many touches), on the driver, and
 * applied back as a small broadcast table.
 */
public final class AttributionModels {
    public static final List<String> ALL = List.of("first_touch", "last_touch", "last_non_direct", "linear",
            "position_based", "time_decay", "markov", "shapley");

    /**
     * Whether the model is fitted on many journeys (Markov, Shapley): one new journey can move the credit of every
     * conversion in the months whose fits count it, where a rule-based model's credits depend on the conversion's
     * own journey only.
     */
    public static boolean fitted(String model) {
        return model.equals("markov") || model.equals("shapley");
    }

    /**
     * Settings the models read: half-life, which channels count as direct, Shapley exactness bound, and how many
     * conversion months (the month itself and those before it) a month's Markov and Shapley fits count.
     */
    public record Settings(double halfLifeDays, Set<String> directChannels, int shapleyMaxExactChannels,
                           int fitMonths) {
    }

    private AttributionModels() {
    }

    /**
     * Credits per journey touch and model: input from {@link Journeys#of}, with {@code conversion_month};
     * {@code open} are the journeys that had not converted at each month's end (from {@link Journeys#open}), used
     * to fit the data-driven models. Output adds {@code model, credit}.
     *
     * <p>A month's Markov and Shapley fit counts the converted journeys of the {@code fitMonths} months to it and the
     * journeys open at its end: a closed month's credits do not move as later months' journeys arrive, and a night
     * changes the fits of the months its changed journeys fall in, not of the whole history.
     */
    public static Dataset<Row> credits(Dataset<Row> journeys, Dataset<Row> open, List<String> models, Settings s) {
        WindowSpec conv = Window.partitionBy("conversion_id");
        Column i = col("touch_number");
        Column n = col("touches_in_journey");
        Column nonDirect = col("channel").isin(s.directChannels().toArray()).equalTo(false);
        Dataset<Row> j = journeys
                .withColumn("_last_non_direct", coalesce(max(when(nonDirect, i)).over(conv), n))
                .withColumn("_decay", pow(lit(2.0), col("days_before_conversion").divide(-s.halfLifeDays())))
                .withColumn("_decay_sum", sum("_decay").over(conv));
        List<Dataset<Row>> parts = new ArrayList<>();
        for (String m : models) {
            Column credit = switch (m) {
                case "first_touch" -> when(i.equalTo(1), 1.0).otherwise(0.0);
                case "last_touch" -> when(i.equalTo(n), 1.0).otherwise(0.0);
                case "last_non_direct" -> when(i.equalTo(col("_last_non_direct")), 1.0).otherwise(0.0);
                case "linear" -> lit(1.0).divide(n);
                case "position_based" -> when(n.equalTo(1), 1.0).when(n.equalTo(2), 0.5)
                        .when(i.equalTo(1).or(i.equalTo(n)), 0.4).otherwise(lit(0.2).divide(n.minus(2)));
                case "time_decay" -> col("_decay").divide(col("_decay_sum"));
                case "markov", "shapley" -> null;
                default -> throw new IllegalArgumentException("unknown attribution model '" + m + "'; models: " + ALL);
            };
            if (credit != null) {
                parts.add(j.withColumn("model", lit(m)).withColumn("credit", credit));
            }
        }
        if (models.contains("markov") || models.contains("shapley")) {
            Dataset<Row> channels = journeys.groupBy("conversion_id", "conversion_month", "channel")
                    .agg(count(lit(1)).as("_channel_touches"));
            if (models.contains("markov")) {
                parts.add(applyShares(journeys, "markov", markovShares(journeys, open, channels, s)));
            }
            if (models.contains("shapley")) {
                parts.add(applyShares(journeys, "shapley", shapleyShares(journeys, open, channels, s)));
            }
        }
        return parts.stream().map(p -> p.drop("_last_non_direct", "_decay", "_decay_sum"))
                .reduce(Dataset::unionByName).orElseThrow();
    }

    /** Touch credit = the channel's share of the conversion / that channel's touches in the journey. */
    private static Dataset<Row> applyShares(Dataset<Row> journeys, String model, Dataset<Row> shares) {
        return journeys.join(shares.select("conversion_id", "channel", "_share", "_channel_touches"),
                        Using.columns("conversion_id", "channel"))
                .withColumn("model", lit(model))
                .withColumn("credit", col("_share").divide(col("_channel_touches")))
                .drop("_share", "_channel_touches");
    }

    /** Markov: removal-effect weights fitted per month on its window's distinct paths, normalised per journey. */
    private static Dataset<Row> markovShares(Dataset<Row> journeys, Dataset<Row> open, Dataset<Row> channels,
                                             Settings s) {
        Column path = sort_array(collect_list(struct(col("touch_number"), col("channel")))).getField("channel");
        Map<Object, List<Row>> converted = byFitMonth(inFitWindows(journeys.groupBy("conversion_id", "conversion_month")
                .agg(path.as("path")), s).groupBy("fit_month", "path").agg(count(lit(1)).as("n")));
        Map<Object, List<Row>> notConverted = byFitMonth(open.groupBy("fit_month", "account_id").agg(path.as("path"))
                .groupBy("fit_month", "path").agg(count(lit(1)).as("n")));
        List<Row> rows = new ArrayList<>();
        converted.forEach((month, paths) -> DataDriven.markovWeights(paths, notConverted.getOrDefault(month, List.of()))
                .forEach((c, w) -> rows.add(RowFactory.create(month, c, w))));
        Dataset<Row> w = SparkSession.active().createDataFrame(rows, new StructType()
                .add("conversion_month", DataTypes.DateType).add("channel", DataTypes.StringType)
                .add("_weight", DataTypes.DoubleType));
        WindowSpec conv = Window.partitionBy("conversion_id");
        return channels.join(broadcast(w), Using.columns("conversion_month", "channel"), "left")
                .withColumn("_weight", coalesce(col("_weight"), lit(0.0)))
                .withColumn("_sum", sum("_weight").over(conv))
                .withColumn("_k", count(lit(1)).over(conv))
                // A journey of channels with no removal effect at all is split evenly rather than left uncredited.
                .withColumn("_share", when(col("_sum").gt(0), col("_weight").divide(col("_sum")))
                        .otherwise(lit(1.0).divide(col("_k"))));
    }

    /**
     * Each converted journey (with {@code conversion_month}) once in the fit of every month that counts it: its own
     * and the {@code fitMonths - 1} after it that have conversions, as {@code fit_month}.
     */
    private static Dataset<Row> inFitWindows(Dataset<Row> converted, Settings s) {
        Dataset<Row> fits = converted.select(col("conversion_month").as("fit_month")).distinct();
        return converted.join(broadcast(fits), col("fit_month").geq(col("conversion_month"))
                .and(col("fit_month").lt(add_months(col("conversion_month"), s.fitMonths()))));
    }

    /** Rows (fit_month, key, n), collected and grouped by fit month into rows (key, n), as the fits read them. */
    private static Map<Object, List<Row>> byFitMonth(Dataset<Row> counted) {
        Map<Object, List<Row>> out = new TreeMap<>();
        counted.collectAsList().forEach(r -> out.computeIfAbsent(r.get(0), k -> new ArrayList<>())
                .add(RowFactory.create(r.get(1), r.get(2))));
        return out;
    }

    /** Shapley: values per distinct channel set of converted journeys, the game fitted per month on its window. */
    private static Dataset<Row> shapleyShares(Dataset<Row> journeys, Dataset<Row> open, Dataset<Row> channels,
                                              Settings s) {
        Column set = array_join(array_sort(array_distinct(collect_list(col("channel")))), "|");
        Dataset<Row> convertedSets = journeys.groupBy("conversion_id", "conversion_month").agg(set.as("_set"));
        Map<Object, List<Row>> converted = byFitMonth(inFitWindows(convertedSets, s)
                .groupBy("fit_month", "_set").agg(count(lit(1)).as("n")));
        Map<Object, List<Row>> notConverted = byFitMonth(open.groupBy("fit_month", "account_id").agg(set.as("_set"))
                .groupBy("fit_month", "_set").agg(count(lit(1)).as("n")));
        List<Row> rows = new ArrayList<>();
        converted.forEach((month, sets) -> DataDriven.shapleyShares(sets, notConverted.getOrDefault(month, List.of()),
                s.shapleyMaxExactChannels()).forEach((k, byChannel) -> byChannel.forEach((c, v) ->
                rows.add(RowFactory.create(month, k, c, v)))));
        Dataset<Row> sh = SparkSession.active().createDataFrame(rows, new StructType()
                .add("conversion_month", DataTypes.DateType).add("_set", DataTypes.StringType)
                .add("channel", DataTypes.StringType).add("_share", DataTypes.DoubleType));
        return channels.join(convertedSets.drop("conversion_month"), "conversion_id")
                .join(broadcast(sh), Using.columns("conversion_month", "_set", "channel"), "left");
    }
}
