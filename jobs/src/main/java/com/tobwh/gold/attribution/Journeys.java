package com.tobwh.gold.attribution;

import com.tobwh.pipeline.Using;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.time.LocalDate;
import java.time.ZoneId;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_timestamp;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.year;

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
     * Journeys still open at the end of each conversion month (the "null" paths data-driven models need), per
     * {@code fit_month}: the month's end is the start of the next month in the reporting time zone, or the end of
     * {@code asOf} for the month in progress; an open journey is an account without a conversion before that instant,
     * with its touches in the lookback window before it, numbered in time order ({@code touch_number}).
     * {@code conversions} carry {@code conversion_month}; the months without any conversion get no fit.
     */
    public static Dataset<Row> open(Dataset<Row> conversions, Dataset<Row> touches, int lookbackDays, LocalDate asOf,
                                    ZoneId zone) {
        Column asOfEnd = to_timestamp(lit(asOf.plusDays(1).atStartOfDay(zone).toOffsetDateTime().toString()));
        Column next = add_months(col("fit_month"), 1);
        Column monthEnd = make_timestamp(year(next), month(next), lit(1), lit(0), lit(0), lit(0), lit(zone.getId()));
        Dataset<Row> fits = conversions.select(col("conversion_month").as("fit_month")).distinct()
                .withColumn("_fit_end", least(monthEnd, asOfEnd));
        Dataset<Row> converted = conversions.select(col("account_id").as("_c_account_id"),
                col("conversion_time").as("_c_time"));
        Dataset<Row> inWindow = touches.join(broadcast(fits), col("touch_time").lt(col("_fit_end"))
                .and(col("touch_time").geq(col("_fit_end").minus(days(lookbackDays)))));
        Dataset<Row> open = inWindow.join(converted, col("account_id").equalTo(col("_c_account_id"))
                .and(col("_c_time").lt(col("_fit_end"))), "left_anti").drop("_fit_end");
        WindowSpec journey = Window.partitionBy("fit_month", "account_id").orderBy(col("touch_time"), col("touch_id"));
        return open.withColumn("touch_number", row_number().over(journey));
    }

    /**
     * The months from {@code month} to the run date's: those a conversion (or opportunity) of that month feeds under
     * a per-month fit, as it closes its account's open journey for every later month.
     */
    public static Column monthsToRunDate(Column month, LocalDate asOf) {
        return sequence(month, greatest(month, lit(asOf.withDayOfMonth(1).toString()).cast("date")),
                expr("interval 1 month"));
    }

    /**
     * The conversion months whose rows a touch at {@code touchTime} can change: the months of the conversions it can
     * be in the journey of (the lookback after it), and the {@code fitMonths - 1} after them, whose data-driven fits
     * count those journeys (the open journeys it is in fall in the same range). A day of margin each side covers the
     * reporting time zone's offset from the session's.
     */
    public static Column monthsFed(Column touchTime, int lookbackDays, int fitMonths) {
        Column day = to_date(touchTime);
        return sequence(trunc(date_sub(day, 1), "MM"),
                add_months(trunc(date_add(day, lookbackDays + 1), "MM"), fitMonths - 1), expr("interval 1 month"));
    }

    /**
     * A bound on the touches feeding the conversion months {@code keys} under {@link #monthsFed}: their month
     * ({@code touchMonth}, the month of the touch's date) lies from the lookback and the fit window before the
     * earliest key to the month after the latest (a day of margin, as there). A range over a partition column, which
     * a rebuild prunes by.
     */
    public static Column touchMonthsFeeding(String touchMonth, java.util.Collection<String> keys, int lookbackDays,
                                            int fitMonths) {
        LocalDate first = keys.stream().map(LocalDate::parse).min(LocalDate::compareTo).orElseThrow();
        LocalDate last = keys.stream().map(LocalDate::parse).max(LocalDate::compareTo).orElseThrow();
        return col(touchMonth).between(lit(java.sql.Date.valueOf(
                        first.minusMonths(fitMonths - 1L).minusDays(lookbackDays + 2L).withDayOfMonth(1))),
                lit(java.sql.Date.valueOf(last.plusMonths(1))));
    }
}
