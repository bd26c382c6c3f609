package com.tobwh.gold;

import com.tobwh.pipeline.Built;
import com.tobwh.pipeline.Job;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/** gold.dim_date: the calendar, one row per day from 2000 to 2050, plus the unknown member -1. */
public final class DimDate implements Job {
    public static final int UNKNOWN = -1;

    /** The date_key of a date, computed rather than joined; -1 when null or outside the calendar. */
    public static Column key(Column date) {
        return when(date.between(lit("2000-01-01").cast("date"), lit("2050-12-31").cast("date")),
                date_format(date, "yyyyMMdd").cast("int")).otherwise(lit(UNKNOWN));
    }

    @Override
    public String output() {
        return "gold.dim_date";
    }

    @Override
    public List<String> inputs() {
        return List.of();
    }

    @Override
    public String configuration(RunContext ctx) {
        // The calendar's range and columns are the code's: nothing configured changes a row.
        return "";
    }

    @Override
    public String grain() {
        return "one row per calendar day (date_key yyyymmdd), -1 = unknown";
    }

    @Override
    public List<String> primaryKey() {
        return List.of("date_key");
    }

    @Override
    public List<String> partitionBy() {
        // A file per year: the facts' foreign-key gates read only the years of the keys they built (the file
        // statistics on date_key skip the rest), and OPTIMIZE, which compacts within a partition, keeps it so.
        return List.of("year");
    }

    @Override
    public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
        SparkSession spark = SparkSession.active();
        Dataset<Row> days = spark.sql("""
                SELECT CAST(date_format(d, 'yyyyMMdd') AS INT) AS date_key,
                       d AS date,
                       year(d) AS year,
                       quarter(d) AS quarter,
                       month(d) AS month,
                       dayofmonth(d) AS day_of_month,
                       dayofweek(d) AS day_of_week,
                       date_format(d, 'EEEE') AS day_name,
                       date_format(d, 'MMMM') AS month_name,
                       weekofyear(d) AS iso_week,
                       trunc(d, 'MM') AS month_start,
                       trunc(d, 'quarter') AS quarter_start,
                       trunc(d, 'YEAR') AS year_start,
                       dayofweek(d) IN (1, 7) AS is_weekend
                FROM (SELECT explode(sequence(DATE'2000-01-01', DATE'2050-12-31', INTERVAL 1 DAY)) AS d)
                """);
        Dataset<Row> unknown = spark.sql("""
                SELECT -1 AS date_key, CAST(NULL AS DATE) AS date, CAST(NULL AS INT) AS year,
                       CAST(NULL AS INT) AS quarter, CAST(NULL AS INT) AS month, CAST(NULL AS INT) AS day_of_month,
                       CAST(NULL AS INT) AS day_of_week, 'unknown' AS day_name, 'unknown' AS month_name,
                       CAST(NULL AS INT) AS iso_week, CAST(NULL AS DATE) AS month_start,
                       CAST(NULL AS DATE) AS quarter_start, CAST(NULL AS DATE) AS year_start,
                       CAST(NULL AS BOOLEAN) AS is_weekend
                """);
        return Built.of(days.unionByName(unknown));
    }
}
