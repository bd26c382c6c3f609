package com.tobwh.gold;

import com.tobwh.SparkTestSession;
import com.tobwh.config.WarehouseConfig;
import com.tobwh.pipeline.Gates;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Markov and Shapley are fitted per conversion month, on the conversions of the dataDrivenFitMonths (12) months to
 * it and the journeys still open at its end (times +08:00; run 2026-03-31; channels a = paid_search, b = email).
 *
 * <pre>
 * A  a 02-01, b 02-10, converts K1 02-20
 * E  a 02-05, never converts (open at the end of February and of March)
 * B  b 03-05, converts K2 03-15
 * C  a 03-02, b 03-08, converts K3 03-20
 *
 * February's fit: converted [a, b]; open [a]
 *   Markov: START→a 1; a→b 1/2, a→null 1/2; b→conv 1 → P = 1/2; without a 0, without b 0 → effects 1, 1
 *     → K1: a 1/2, b 1/2
 *   Shapley: r{a,b} = 1/1, r{a} = 0/1 → v{a} = 0, v{b} = 0, v{a,b} = 1 → K1: a 1/2, b 1/2
 * March's fit (February's journeys count too): converted [a, b] K1, [b] K2, [a, b] K3; open [a]
 *   Markov: START→a 3/4, →b 1/4; a→b 2/3, a→null 1/3; b→conv 1 → P = 3/4·2/3 + 1/4 = 3/4
 *     without a: 1/4 (effect 2/3); without b: 0 (effect 1) → weights a 2/5, b 3/5 → K3: a 2/5, b 3/5; K2: b 1
 *   Shapley: r{a,b} = 2/2, r{b} = 1/1, r{a} = 0/1 → v{a} = 0, v{b} = 1, v{a,b} = 2
 *     φa = ½(0 + 1) = 1/2, φb = ½(1 + 2) = 3/2 → K3: a 1/4, b 3/4
 * One fit over every journey (as of the run date) would give K1 March's credits; February's say what they said at
 * February's end. With one fit month, March's fit counts only March's journeys: converted [b], [a, b]; open [a]
 *   Markov: START→a 2/3, →b 1/3; a→b 1/2, a→null 1/2 → P = 2/3; without a 1/3 (effect 1/2), without b 0 (1)
 *     → K3: a 1/3, b 2/3
 * </pre>
 */
class AttributionFitMonthsTest {
    private static final double EPS = 1e-9;

    @Test
    void eachConversionMonthIsCreditedByItsOwnTrailingFit() {
        Map<String, Double> credit = credits(WarehouseConfig.defaults().dataDrivenFitMonths);
        assertEquals(12, WarehouseConfig.defaults().dataDrivenFitMonths);
        assertEquals(0.5, credit.get("K1 markov a"), EPS);
        assertEquals(0.5, credit.get("K1 markov b"), EPS);
        assertEquals(0.5, credit.get("K1 shapley a"), EPS);
        assertEquals(0.5, credit.get("K1 shapley b"), EPS);
        assertEquals(1.0, credit.get("K2 markov b"), EPS);
        assertEquals(1.0, credit.get("K2 shapley b"), EPS);
        assertEquals(0.4, credit.get("K3 markov a"), EPS);
        assertEquals(0.6, credit.get("K3 markov b"), EPS);
        assertEquals(0.25, credit.get("K3 shapley a"), EPS);
        assertEquals(0.75, credit.get("K3 shapley b"), EPS);
    }

    @Test
    void aOneMonthFitCountsOnlyItsMonthsJourneys() {
        Map<String, Double> credit = credits(1);
        assertEquals(0.5, credit.get("K1 markov a"), EPS);
        assertEquals(1.0 / 3, credit.get("K3 markov a"), EPS);
        assertEquals(2.0 / 3, credit.get("K3 markov b"), EPS);
    }

    /** "conversion model channel-letter" → credit, for the data-driven models. */
    private static Map<String, Double> credits(int fitMonths) {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> orders = spark.sql("""
                SELECT order_id, CAST(-1 AS BIGINT) AS account_key, account_id, CAST(d AS DATE) AS order_date,
                       'new' AS order_type, 'paid' AS status, CAST(100 AS DECIMAL(18,4)) AS amount_rc
                FROM VALUES ('K1', 'A', '2026-02-20'), ('K2', 'B', '2026-03-15'), ('K3', 'C', '2026-03-20')
                  AS t(order_id, account_id, d)
                """);
        Dataset<Row> touches = spark.sql("""
                SELECT touch_id, account_id, CAST(t AS TIMESTAMP) AS touch_time, 'web' AS touch_type, channel,
                       xxhash64(channel) AS channel_key, CAST(-1 AS BIGINT) AS campaign_key
                FROM VALUES
                  ('a1', 'A', '2026-02-01T10:00:00+08:00', 'paid_search'), ('b1', 'A', '2026-02-10T10:00:00+08:00', 'email'),
                  ('a2', 'E', '2026-02-05T10:00:00+08:00', 'paid_search'),
                  ('b2', 'B', '2026-03-05T10:00:00+08:00', 'email'),
                  ('a3', 'C', '2026-03-02T10:00:00+08:00', 'paid_search'), ('b3', 'C', '2026-03-08T10:00:00+08:00', 'email')
                  AS t(touch_id, account_id, t, channel)
                """);
        WarehouseConfig cfg = SparkTestSession.testConfig(Path.of("unused"));
        cfg.dataDrivenFitMonths = fitMonths;
        RunContext ctx = new RunContext("fit", LocalDate.parse("2026-03-31"), LocalDate.parse("2026-03-31"), cfg);
        Dataset<Row> fct = new FctAttribution().build(Map.of("gold.fct_orders", orders, "gold.fct_touches", touches),
                ctx).rows().cache();
        Gates.check(new FctAttribution(), fct);
        Map<String, Double> out = new TreeMap<>();
        fct.filter(col("model").isin("markov", "shapley")).collectAsList().forEach(r -> out.merge(
                r.getAs("conversion_id") + " " + r.getAs("model") + " "
                        + ("email".equals(r.getAs("channel")) ? "b" : "a"), r.<Double>getAs("credit"), Double::sum));
        fct.unpersist();
        return out;
    }
}
