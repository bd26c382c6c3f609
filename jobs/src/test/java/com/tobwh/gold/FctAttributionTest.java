package com.tobwh.gold;

import com.tobwh.SparkTestSession;
import com.tobwh.pipeline.Gates;
import com.tobwh.pipeline.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model on hand-worked journeys (conversion = first paid new order, at 00:00 of its day, +08:00; run 2026-03-31).
 *
 * <pre>
 * K1 account A, converts 2026-03-31, value 1000:
 *      t0 2025-09-01 paid_search   (212 days before: outside the 180-day lookback)
 *      t1 2026-03-01 paid_search   30 days before
 *      t2 2026-03-17 social_media  14 days before
 *      t3 2026-03-24 direct         7 days before
 *      t9 2026-04-02 email          after the conversion: not in the journey
 *   first t1=1 · last t3=1 · last_non_direct t2=1 · linear ⅓ each · position_based .4/.2/.4
 *   time_decay w = 2^(−30/7), 2^(−2), 2^(−1) normalised
 * K2 account B, one touch t4 email 5 days before: every model gives t4 all of it
 * K3 account C, direct only: t5 direct, t6 direct → last_non_direct falls back to the last touch t6
 * K4 account D, no touch: channel unattributed, credit 1 under every model
 * account E never converts: journey [paid_search] (t8 2026-03-20) — a null path for the data-driven models
 *
 * Markov: START→p 2/4, →e 1/4, →d 1/4; p→s 1/2, p→null 1/2; s→d 1; d→conv 2/3, d→d 1/3; e→conv 1
 *   P(d)=1 (x = 2/3 + x/3), P(s)=1, P(p)=1/2, P(e)=1 → base = 2/4·1/2 + 1/4 + 1/4 = 3/4
 *   removal: p → 1/2 (RE 1/3), s → 1/2 (1/3), d → 1/4 (2/3), e → 1/2 (1/3); sum 5/3
 *   weights p 1/5, s 1/5, d 2/5, e 1/5 → K1 (p, s, d): 1/4, 1/4, 1/2; K3: direct 1 = ½ + ½
 * Shapley (sets): r{d,p,s}=1/1, r{e}=1/1, r{d}=1/1, r{p}=0/1, others 0; v{d,p,s} = r{d} + r{d,p,s} = 2
 *   φd = ⅓·1 + ⅙·1 + ⅙·1 + ⅓·2 = 4/3, φp = ⅓·(2−1) = 1/3, φs = 1/3 → K1 credits d 2/3, p 1/6, s 1/6
 * </pre>
 */
class FctAttributionTest {
    private static final double EPS = 1e-9;
    private static final Map<String, Double> CREDIT = new HashMap<>();
    private static List<Row> rows;

    @BeforeAll
    static void build() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> orders = spark.sql("""
                SELECT order_id, CAST(-1 AS BIGINT) AS account_key, account_id, CAST(d AS DATE) AS order_date,
                       order_type, status, CAST(amount AS DECIMAL(18,4)) AS amount_rc
                FROM VALUES ('K1', 'A', '2026-03-31', 'new', 'paid', 1000), ('K1r', 'A', '2026-03-31', 'renewal', 'paid', 5),
                            ('K2', 'B', '2026-03-10', 'new', 'paid', 200), ('K3', 'C', '2026-03-20', 'new', 'paid', 300),
                            ('K3x', 'C', '2026-03-25', 'new', 'paid', 999), ('K4', 'D', '2026-03-05', 'new', 'paid', 400),
                            ('R1', 'E', '2026-03-06', 'new', 'refunded', 50)
                  AS t(order_id, account_id, d, order_type, status, amount)
                """);
        Dataset<Row> touches = spark.sql("""
                SELECT touch_id, account_id, CAST(t AS TIMESTAMP) AS touch_time, 'web' AS touch_type, channel,
                       xxhash64(channel) AS channel_key, CAST(-1 AS BIGINT) AS campaign_key
                FROM VALUES
                  ('t0', 'A', '2025-09-01T10:00:00+08:00', 'paid_search'),
                  ('t1', 'A', '2026-03-01T00:00:00+08:00', 'paid_search'),
                  ('t2', 'A', '2026-03-17T00:00:00+08:00', 'social_media'),
                  ('t3', 'A', '2026-03-24T00:00:00+08:00', 'direct'),
                  ('t9', 'A', '2026-04-02T00:00:00+08:00', 'email'),
                  ('t4', 'B', '2026-03-05T00:00:00+08:00', 'email'),
                  ('t5', 'C', '2026-03-10T00:00:00+08:00', 'direct'),
                  ('t6', 'C', '2026-03-15T00:00:00+08:00', 'direct'),
                  ('t8', 'E', '2026-03-20T00:00:00+08:00', 'paid_search')
                  AS t(touch_id, account_id, t, channel)
                """);
        RunContext ctx = new RunContext("r", LocalDate.parse("2026-03-31"), LocalDate.parse("2026-03-31"),
                SparkTestSession.testConfig(Path.of("unused")));
        Dataset<Row> fct = new FctAttribution().build(Map.of("gold.fct_orders", orders, "gold.fct_touches", touches),
                ctx).rows().cache();
        Gates.check(new FctAttribution(), fct);
        rows = fct.collectAsList();
        rows.forEach(r -> CREDIT.put(r.getAs("conversion_id") + "/" + r.getAs("model") + "/" + r.getAs("touch_id"),
                r.getAs("credit")));
    }

    private static double credit(String conversion, String model, String touch) {
        Double c = CREDIT.get(conversion + "/" + model + "/" + touch);
        if (c == null) {
            throw new AssertionError("no row " + conversion + "/" + model + "/" + touch);
        }
        return c;
    }

    private static void assertCredits(String conversion, String model, double... expected) {
        String[] touches = {"t1", "t2", "t3"};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], credit(conversion, model, touches[i]), EPS, model + " " + touches[i]);
        }
    }

    @Test
    void aThreeTouchJourneyUnderEveryRuleBasedModel() {
        assertCredits("K1", "first_touch", 1, 0, 0);
        assertCredits("K1", "last_touch", 0, 0, 1);
        assertCredits("K1", "last_non_direct", 0, 1, 0);
        assertCredits("K1", "linear", 1.0 / 3, 1.0 / 3, 1.0 / 3);
        assertCredits("K1", "position_based", 0.4, 0.2, 0.4);
        double w1 = Math.pow(2, -30.0 / 7);
        double sum = w1 + 0.25 + 0.5;
        assertCredits("K1", "time_decay", w1 / sum, 0.25 / sum, 0.5 / sum);
    }

    @Test
    void theDataDrivenModelsOnTheSamePaths() {
        assertCredits("K1", "markov", 0.25, 0.25, 0.5);
        assertCredits("K1", "shapley", 1.0 / 6, 1.0 / 6, 2.0 / 3);
        assertEquals(0.5, credit("K3", "markov", "t5"), EPS);
        assertEquals(0.5, credit("K3", "shapley", "t6"), EPS);
    }

    @Test
    void aOneTouchJourneyGivesItAllUnderEveryModel() {
        for (String m : com.tobwh.gold.attribution.AttributionModels.ALL) {
            assertEquals(1.0, credit("K2", m, "t4"), EPS, m);
        }
    }

    @Test
    void onlyTouchesInsideTheLookbackAndBeforeTheConversionCount() {
        assertFalse(CREDIT.containsKey("K1/linear/t0"), "212 days before: outside the window");
        assertFalse(CREDIT.containsKey("K1/linear/t9"), "after the conversion");
        Row t1 = rows.stream().filter(r -> r.getAs("touch_id").equals("t1") && r.getAs("model").equals("linear"))
                .findFirst().orElseThrow();
        assertEquals(1, t1.<Integer>getAs("touch_number"));
        assertEquals(3, t1.<Integer>getAs("touches_in_journey"));
        assertEquals(30.0, t1.<Double>getAs("days_before_conversion"), EPS);
        assertEquals(1000.0 / 3, t1.<Double>getAs("attributed_revenue_rc"), 1e-6);
    }

    @Test
    void aDirectOnlyJourneyGivesLastNonDirectToTheLastTouch() {
        assertEquals(0.0, credit("K3", "last_non_direct", "t5"), EPS);
        assertEquals(1.0, credit("K3", "last_non_direct", "t6"), EPS);
    }

    @Test
    void aTouchlessConversionIsUnattributedUnderEveryModel() {
        for (String m : com.tobwh.gold.attribution.AttributionModels.ALL) {
            Row r = rows.stream().filter(x -> x.getAs("conversion_id").equals("K4") && x.getAs("model").equals(m))
                    .findFirst().orElseThrow();
            assertEquals("unattributed", r.getAs("channel"));
            assertEquals(1.0, r.<Double>getAs("credit"), EPS);
        }
    }

    @Test
    void onlyEachAccountsFirstPaidNewOrderConverts() {
        assertTrue(rows.stream().noneMatch(r -> List.of("K1r", "K3x", "R1").contains(r.<String>getAs("conversion_id"))));
        assertEquals(4 * 8, rows.stream().map(r -> r.getAs("conversion_id") + "/" + r.getAs("model")).distinct().count());
    }
}
