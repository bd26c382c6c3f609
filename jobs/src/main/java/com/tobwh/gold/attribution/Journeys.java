package com.tobwh.gold.attribution;

import com.tobwh.pipeline.Using;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.time.LocalDate;
import java.time.ZoneId;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.unix_micros;

/**
 * Account-level journeys: the touches of every contact of an account inside the lookback window before each of its
 * conversions, numbered in time order — what every attribution model reads.
 */
public final class Journeys {
    private Journeys() {
    }

    /**
     * Joins conversions ({@code conversion_id, account_id, conversion_time}) to touches ({@code touch_id, account_id,
     * touch_time, channel}, more columns carried along) at most {@code lookbackDays} before the conversion and strictly
     * before it; adds {@code touch_number}, {@code touches_in_journey}, {@code days_before_conversion}.
     */
    public static Dataset<Row> of(Dataset<Row> conversions, Dataset<Row> touches, int lookbackDays) {
        Dataset<Row> t = touches.withColumnRenamed("account_id", "_t_account_id");
        Column inWindow = col("account_id").equalTo(col("_t_account_id"))
                .and(col("touch_time").lt(col("conversion_time")))
                .and(col("touch_time").geq(col("conversion_time").minus(days(lookbackDays))));
        WindowSpec journey = Window.partitionBy("conversion_id").orderBy(col("touch_time"), col("touch_id"));
        return conversions.join(t, inWindow, "inner").drop("_t_account_id")
                .withColumn("touch_number", row_number().over(journey))
                .withColumn("touches_in_journey", count(lit(1)).over(Window.partitionBy("conversion_id")).cast("int"))
                .withColumn("days_before_conversion",
                        unix_micros(col("conversion_time")).minus(unix_micros(col("touch_time"))).divide(86_400e6));
    }

    /** The conversions that have no touch in {@code journeys} (from {@link #of}): credited to unattributed. */
    public static Dataset<Row> touchless(Dataset<Row> conversions, Dataset<Row> journeys) {
        return conversions.join(journeys.select("conversion_id").distinct(), Using.columns("conversion_id"),
                "left_anti");
    }

    private static Column days(int n) {
        return expr("make_dt_interval(" + n + ", 0, 0, 0)");
    }

    /**
     * Journeys that have not converted by the end of {@code asOf}: per account without a conversion, its touches in
     * the lookback window before that instant (the "null" paths data-driven models need).
     */
    public static Dataset<Row> open(Dataset<Row> conversions, Dataset<Row> touches, int lookbackDays, LocalDate asOf,
                                    ZoneId zone) {
        Dataset<Row> converted = conversions.select(col("account_id").as("_c_account_id")).distinct();
        String end = asOf.plusDays(1).atStartOfDay(zone).toOffsetDateTime().toString();
        Column endTs = to_timestamp(lit(end));
        Dataset<Row> open = touches.join(converted, col("account_id").equalTo(col("_c_account_id")), "left_anti")
                .filter(col("touch_time").lt(endTs).and(col("touch_time").geq(endTs.minus(days(lookbackDays)))));
        WindowSpec journey = Window.partitionBy("account_id").orderBy(col("touch_time"), col("touch_id"));
        return open.withColumn("touch_number", row_number().over(journey));
    }
}
