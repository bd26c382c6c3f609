package com.tobwh.gold.attribution;

import com.tobwh.gold.attribution.MarkovAttribution.Path;
import com.tobwh.gold.attribution.MarkovAttribution.Result;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first-order Markov removal effect, on path sets small enough to work out by hand. */
class MarkovAttributionTest {
    private static final double EPS = 1e-12;

    /**
     * Four journeys, two converting.
     *
     * <pre>
     * paths        A → B → conv ×1,  A → null ×1,  B → C → conv ×1,  C → null ×1
     * counts       START→A 2, START→B 1, START→C 1;  A→B 1, A→null 1;  B→conv 1, B→C 1;  C→conv 1, C→null 1
     * P(· | START) A 1/2, B 1/4, C 1/4
     * P(· | A)     B 1/2, null 1/2
     * P(· | B)     conv 1/2, C 1/2
     * P(· | C)     conv 1/2, null 1/2
     *
     * x = P(conversion | state)
     * base         x_C = 1/2;  x_B = 1/2 + 1/2·x_C = 3/4;  x_A = 1/2·x_B = 3/8
     *              x_START = 1/2·3/8 + 1/4·3/4 + 1/4·1/2 = 3/16 + 3/16 + 2/16 = 1/2
     * without A    x_A = 0                           → x_START = 0 + 3/16 + 2/16 = 5/16   → effect 1 − (5/16)/(1/2) = 3/8
     * without B    x_B = 0, so x_A = 0, x_C = 1/2    → x_START = 0 + 0 + 1/8 = 1/8        → effect 1 − (1/8)/(1/2)  = 3/4
     * without C    x_C = 0, so x_B = 1/2, x_A = 1/4  → x_START = 1/8 + 1/8 + 0 = 1/4      → effect 1 − (1/4)/(1/2)  = 1/2
     * weights      effects sum to 3/8 + 6/8 + 4/8 = 13/8 → A 3/13, B 6/13, C 4/13
     * </pre>
     */
    @Test
    void removalEffectsOfTheClassicExample() {
        Result r = MarkovAttribution.fit(List.of(
                new Path(List.of("A", "B"), 1, 0),
                new Path(List.of("A"), 0, 1),
                new Path(List.of("B", "C"), 1, 0),
                new Path(List.of("C"), 0, 1)));

        assertEquals(1.0 / 2, r.baseConversionProbability(), EPS);
        assertEquals(3.0 / 8, r.removalEffect().get("A"), EPS);
        assertEquals(3.0 / 4, r.removalEffect().get("B"), EPS);
        assertEquals(1.0 / 2, r.removalEffect().get("C"), EPS);
        assertEquals(3.0 / 13, r.weight().get("A"), EPS);
        assertEquals(6.0 / 13, r.weight().get("B"), EPS);
        assertEquals(4.0 / 13, r.weight().get("C"), EPS);
        assertEquals(List.of("A", "B", "C"), List.copyOf(r.weight().keySet()));
    }

    /**
     * Repeated touches of one channel are a self-loop, which the solver must keep on the diagonal.
     *
     * <pre>
     * paths        A → A → conv ×1,  A → null ×1,  B → A → conv ×1
     * counts       START→A 2, START→B 1;  A→A 1, A→conv 2, A→null 1;  B→A 1
     * P(· | A)     A 1/4, conv 1/2, null 1/4
     * base         x_A = 1/4·x_A + 1/2 → x_A = 2/3 (a solver that dropped the 1/4 would give 1/2);  x_B = x_A = 2/3
     *              x_START = 2/3·2/3 + 1/3·2/3 = 2/3
     * without A    x_START = 0                       → effect 1
     * without B    x_START = 2/3·2/3 = 4/9           → effect 1 − (4/9)/(2/3) = 1/3
     * weights      effects sum to 4/3 → A 3/4, B 1/4
     * </pre>
     * Collapsing A → A into A removes the loop and renormalises A's row to conv 2/3, null 1/3: the same x_A = 2/3,
     * so collapsing repeats or not gives the same model.
     */
    @Test
    void selfLoopsAreSolvedExactly() {
        Result r = MarkovAttribution.fit(List.of(
                new Path(List.of("A", "A"), 1, 0),
                new Path(List.of("A"), 0, 1),
                new Path(List.of("B", "A"), 1, 0)));

        assertEquals(2.0 / 3, r.baseConversionProbability(), EPS);
        assertEquals(1.0, r.removalEffect().get("A"), EPS);
        assertEquals(1.0 / 3, r.removalEffect().get("B"), EPS);
        assertEquals(3.0 / 4, r.weight().get("A"), EPS);
        assertEquals(1.0 / 4, r.weight().get("B"), EPS);

        Result collapsed = MarkovAttribution.fit(List.of(
                new Path(List.of("A"), 1, 0),
                new Path(List.of("A"), 0, 1),
                new Path(List.of("B", "A"), 1, 0)));
        assertEquals(r.baseConversionProbability(), collapsed.baseConversionProbability(), EPS);
        r.weight().forEach((c, w) -> assertEquals(w, collapsed.weight().get(c), EPS, c));
    }

    /**
     * <pre>
     * paths        A → conv ×1,  A → D → null ×1,  D → null ×1
     * counts       START→A 2, START→D 1;  A→conv 1, A→D 1;  D→null 2
     * base         x_D = 0;  x_A = 1/2·1 + 1/2·x_D = 1/2;  x_START = 2/3·1/2 = 1/3
     * without D    x_D was 0 already → x_START = 1/3 → effect 0
     * without A    x_START = 1/3·x_D = 0 → effect 1
     * weights      A 1, D 0;  a conversion on A → D credits A 1, D 0
     * </pre>
     */
    @Test
    void aChannelOnlyOnLosingPathsHasNoEffect() {
        Result r = MarkovAttribution.fit(List.of(
                new Path(List.of("A"), 1, 0),
                new Path(List.of("A", "D"), 0, 1),
                new Path(List.of("D"), 0, 1)));

        assertEquals(1.0 / 3, r.baseConversionProbability(), EPS);
        assertEquals(1.0, r.removalEffect().get("A"), EPS);
        assertEquals(0.0, r.removalEffect().get("D"), EPS);
        assertEquals(Map.of("A", 1.0, "D", 0.0), r.weight());
        assertEquals(Map.of("A", 1.0, "D", 0.0), MarkovAttribution.creditsForPath(List.of("A", "D"), r.weight()));
    }

    @Test
    void withoutConversionsEveryWeightIsZeroAndCreditsSplitEqually() {
        Result r = MarkovAttribution.fit(List.of(
                new Path(List.of("A", "B"), 0, 3),
                new Path(List.of("C"), 0, 1)));

        assertEquals(0.0, r.baseConversionProbability());
        assertEquals(Map.of("A", 0.0, "B", 0.0, "C", 0.0), r.removalEffect());
        assertEquals(Map.of("A", 0.0, "B", 0.0, "C", 0.0), r.weight());
        assertEquals(Map.of("A", 0.5, "B", 0.5), MarkovAttribution.creditsForPath(List.of("A", "B"), r.weight()));
    }

    /** With the classic example's weights A 3/13, B 6/13: on A → B → A, A gets 3/(3+6) = 1/3 and B 2/3. */
    @Test
    void creditsForAPathAreTheWeightsOfItsDistinctChannelsRenormalised() {
        Map<String, Double> weight = Map.of("A", 3.0 / 13, "B", 6.0 / 13, "C", 4.0 / 13);

        Map<String, Double> credits = MarkovAttribution.creditsForPath(List.of("A", "B", "A"), weight);
        assertEquals(List.of("A", "B"), List.copyOf(credits.keySet()));
        assertEquals(1.0 / 3, credits.get("A"), EPS);
        assertEquals(2.0 / 3, credits.get("B"), EPS);
        assertEquals(Map.of("C", 1.0), MarkovAttribution.creditsForPath(List.of("C"), weight));
        assertEquals(Map.of("A", 1.0, "new", 0.0), MarkovAttribution.creditsForPath(List.of("new", "A"), weight));
        assertThrows(IllegalArgumentException.class, () -> MarkovAttribution.creditsForPath(List.of(), weight));
    }

    @Test
    void aPathNeedsAChannel() {
        assertThrows(IllegalArgumentException.class, () -> new Path(List.of(), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Path(List.of("A"), -1, 0));
    }

    /** Many channels and paths, with self-loops: effects stay in [0, 1] and every path's credits add up to 1. */
    @Test
    void creditsAddUpOnARandomPathSet() {
        Random random = new Random(7);
        List<Path> paths = new ArrayList<>();
        for (int p = 0; p < 400; p++) {
            List<String> channels = new ArrayList<>();
            int touches = 1 + random.nextInt(8);
            for (int t = 0; t < touches; t++) {
                channels.add("ch" + random.nextInt(28));
            }
            paths.add(new Path(channels, random.nextInt(5), random.nextInt(50)));
        }
        Result r = MarkovAttribution.fit(paths);

        assertTrue(r.baseConversionProbability() > 0 && r.baseConversionProbability() < 1);
        r.removalEffect().values().forEach(e -> assertTrue(e >= 0 && e <= 1, "effect " + e));
        assertEquals(1.0, r.weight().values().stream().mapToDouble(Double::doubleValue).sum(), EPS);
        for (Path p : paths) {
            double sum = MarkovAttribution.creditsForPath(p.channels(), r.weight()).values().stream()
                    .mapToDouble(Double::doubleValue).sum();
            assertEquals(1.0, sum, EPS);
        }
    }
}
