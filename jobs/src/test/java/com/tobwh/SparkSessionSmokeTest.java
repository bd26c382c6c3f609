package com.tobwh;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SparkSessionSmokeTest {
    @Test
    void deltaTableRoundTripsThroughTheCatalog() {
        SparkSession spark = SparkTestSession.get();
        String path = SparkTestSession.scratch("smoke").resolve("t").toString();
        spark.range(5).write().format("delta").mode("overwrite").save(path);
        spark.sql("CREATE DATABASE IF NOT EXISTS smoke");
        spark.sql("CREATE TABLE IF NOT EXISTS smoke.t USING DELTA LOCATION '" + path + "'");
        assertEquals(5L, spark.sql("select count(*) from smoke.t").first().getLong(0));
        DataFrameAssert.assertSameRows(spark.range(5).toDF(), spark.table("smoke.t"));
    }
}
