package com.tobwh.pipeline;

import com.tobwh.bronze.BronzeValidation;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A table a job looks its rows up in (an {@link Incremental.Rule.ViaInput} rule, as a staging job looks up the daily
 * FX rates) is read once a night, although the job's rows and its refusals both come from the lookup's join.
 *
 * <pre>
 * silver.orders (order_id day currency amount):  o1 03-01 EUR 10 · o2 03-01 USD 20   (one file)
 * silver.rates (day currency rate):              03-01 EUR 7.5                       (one file)
 * gold.priced: an order with its day's rate; an order without one is refused (o2, no USD rate)
 *
 * night: o3 03-02 EUR 5 appended to the orders, 03-02 EUR 7.6 to the rates (a second file each) → keys {o3}
 *   rows read by the job:
 *     silver.orders, cut to o3: Delta's statistics skip the first file                                     1
 *     silver.orders whole, for the orders of the rates' changed day (03-02)                                3
 *     silver.rates, looked up whole: once, for the rows and the refusals both (twice without the cache)    2
 *     the change feeds: the orders' and the rates' appended files                                      1 + 1
 *     gold.priced by the replace: no file holds o3, so none is read                                      0
 *                                                                                                  total 8
 * </pre>
 */
class LookupReadsTest {
    private static final String ORDERS = "silver.orders";
    private static final String RATES = "silver.rates";
    private static DeltaTables tables;

    private static final Job PRICED = new Job() {
        @Override
        public String output() {
            return "gold.priced";
        }

        @Override
        public List<String> inputs() {
            return List.of(ORDERS, RATES);
        }

        @Override
        public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
            Dataset<Row> rates = in.get(RATES).select(col("day").as("_day"), col("currency").as("_currency"),
                    col("rate"));
            Dataset<Row> orders = in.get(ORDERS);
            Dataset<Row> joined = orders.join(rates, col("day").equalTo(col("_day"))
                    .and(col("currency").equalTo(col("_currency"))), "left");
            Dataset<Row> refused = joined.filter(col("rate").isNull()).select(BronzeValidation.rejectRow(ctx.runId(),
                    lit("orders"), lit("orders"), lit(null).cast("string"), lit(null).cast("long"),
                    col("order_id"), concat(lit("no rate for "), col("currency")), lit(null).cast("date"),
                    col("order_id")));
            return new Built(joined.filter(col("rate").isNotNull()).select("order_id", "day", "currency", "amount",
                    "rate"), refused);
        }

        @Override
        public String grain() {
            return "one row per order with a rate";
        }

        @Override
        public List<String> primaryKey() {
            return List.of("order_id");
        }

        @Override
        public Incremental incremental() {
            return Incremental.byKey("order_id")
                    .with(ORDERS, Incremental.Rule.column("order_id"))
                    .with(RATES, Incremental.Rule.viaInput(ORDERS, col("day"), "day"));
        }
    };

    @BeforeAll
    static void aNight() {
        tables = JobNights.pipelineNights("lookup-reads", PRICED, List.of(ORDERS, RATES), t -> {
            t.overwrite(ORDERS, rows("order_id day currency amount", "o1 2026-03-01 EUR 10", "o2 2026-03-01 USD 20"),
                    List.of());
            t.overwrite(RATES, rows("day currency rate", "2026-03-01 EUR 7.5"), List.of());
        }, t -> {
            t.append(ORDERS, rows("order_id day currency amount", "o3 2026-03-02 EUR 5"));
            t.append(RATES, rows("day currency rate", "2026-03-02 EUR 7.6"));
        });
    }

    @Test
    void theNightPricesTheNewOrder() {
        assertEquals("rebuilt 1 order_id values changed in silver.orders, silver.rates",
                night().<String>getAs("message").split("; ")[0]);
        assertEquals(List.of("o1 7.5", "o3 7.6"), tables.read("gold.priced").orderBy("order_id").collectAsList()
                .stream().map(r -> r.getAs("order_id") + " " + r.getAs("rate")).toList());
    }

    @Test
    void itReadsTheRatesItLooksUpOnce() {
        assertEquals(1 + 3 + 2 + (1 + 1) + 0, night().<Long>getAs("read_rows"));
    }

    private static Row night() {
        return JobNights.tonightsLog(tables, PRICED);
    }

    /** A one-file table of string columns from space-separated lines, the first naming them. */
    private static Dataset<Row> rows(String header, String... lines) {
        return JobNights.stringRows(header, lines).coalesce(1);
    }
}
