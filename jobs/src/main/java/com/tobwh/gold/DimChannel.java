package com.tobwh.gold;

import com.tobwh.config.ChannelRules;
import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Incremental;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/** gold.dim_channel: the marketing channels declared in the channel rules, with group and paid/offline flags. */
public final class DimChannel implements Job {
    private static final StructType SHAPE = new StructType()
            .add("channel", DataTypes.StringType)
            .add("channel_group", DataTypes.StringType)
            .add("is_paid", DataTypes.BooleanType)
            .add("is_offline", DataTypes.BooleanType)
            .add("description", DataTypes.StringType)
            .add("sort_order", DataTypes.IntegerType);

    @Override
    public String output() {
        return "gold.dim_channel";
    }

    @Override
    public List<String> inputs() {
        return List.of();
    }

    @Override
    public Incremental incremental() {
        // Built from the channel rules (configuration), not from tables: no input version says it changed.
        return Incremental.always();
    }

    @Override
    public String configuration(RunContext ctx) {
        // The declared channels alone make the rows (the rules only classify touches).
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsString(ChannelRules.of(ctx.cfg()).channels);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("channels of the channel rules: " + e.getMessage(), e);
        }
    }

    @Override
    public String grain() {
        return "one row per channel of the configured channel rules; -1 = unknown";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("channel_key");
    }

    /** The key of a channel name: the same function everywhere, so facts need no join to find it. */
    public static Column key(Column channel) {
        return when(channel.isNull(), lit(Keys.UNKNOWN)).otherwise(Keys.surrogate(channel));
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        List<Row> rows = new ArrayList<>();
        List<ChannelRules.Channel> channels = ChannelRules.of(ctx.cfg()).channels;
        for (int i = 0; i < channels.size(); i++) {
            ChannelRules.Channel c = channels.get(i);
            rows.add(RowFactory.create(c.name, c.group, c.paid, c.offline, c.description, i + 1));
        }
        rows.add(RowFactory.create("unknown", "unknown", false, false, "Channel not known", 0));
        Dataset<Row> df = SparkSession.active().createDataFrame(rows, SHAPE);
        return Built.of(df.select(
                when(col("channel").equalTo("unknown"), lit(Keys.UNKNOWN)).otherwise(key(col("channel")))
                        .as("channel_key"),
                col("channel"), col("channel_group"), col("is_paid"), col("is_offline"), col("description"),
                col("sort_order")));
    }
}
