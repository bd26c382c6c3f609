package com.tobwh.gold.attribution;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.trunc;

/** Conversions as CONTRACT.md defines them: an account's first paid order of type new, at the start of its day. */
public final class Conversions {
    private Conversions() {
    }

    /**
     * From fct_orders: conversion_id (the order id), account_id, account_key, conversion_time (order_date at 00:00 in
     * the session time zone, which is the reporting one), conversion_date, conversion_month, conversion_value_rc.
     */
    public static Dataset<Row> firstPaidNew(Dataset<Row> fctOrders) {
        return fctOrders
                .filter(col("status").equalTo("paid").and(col("order_type").equalTo("new"))
                        .and(col("account_id").isNotNull()))
                .withColumn("_n", row_number().over(Window.partitionBy("account_id")
                        .orderBy(col("order_date"), col("order_id"))))
                .filter(col("_n").equalTo(1))
                .select(col("order_id").as("conversion_id"), col("account_id"), col("account_key"),
                        to_timestamp(col("order_date")).as("conversion_time"), col("order_date").as("conversion_date"),
                        trunc(col("order_date"), "MM").as("conversion_month"),
                        col("amount_rc").as("conversion_value_rc"));
    }
}
