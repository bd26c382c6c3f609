package com.tobwh.gold.attribution;

import com.tobwh.gold.attribution.ShapleyAttribution.Coalition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simplified Shapley game on three channels, worked by hand.
 *
 * <pre>
 * channel set    journeys  conversions  r(T)
 * {A}                8          2       1/4
 * {B}                5          1       1/5
 * {C}                3          0       0
 * {A,B}              6          3       1/2
 * {A,C}              4          1       1/4
 * {B,C}              –          –       0     (never seen)
 * {A,B,C}            3          2       2/3
 *
 * v(S) = Σ r(T), T ⊆ S:  v(∅) 0, v(A) 1/4, v(B) 1/5, v(C) 0, v(AB) 1/4+1/5+1/2 = 19/20, v(AC) 1/4+0+1/4 = 1/2,
 *                        v(BC) 1/5, v(ABC) 1/4+1/5+1/2+1/4+2/3 = 112/60 = 28/15
 *
 * S = {A,B,C}: Shapley weights |T|!(3−|T|−1)!/3! are 1/3, 1/6, 1/3 for |T| = 0, 1, 2
 * φ_A = 1/3·(v(A)−0) + 1/6·(v(AB)−v(B)) + 1/6·(v(AC)−v(C)) + 1/3·(v(ABC)−v(BC))
 *     = 1/3·1/4 + 1/6·3/4 + 1/6·1/2 + 1/3·5/3 = 6/72 + 9/72 + 6/72 + 40/72 = 61/72
 * φ_B = 1/3·1/5 + 1/6·(v(AB)−v(A)) + 1/6·(v(BC)−v(C)) + 1/3·(v(ABC)−v(AC))
 *     = 1/3·1/5 + 1/6·7/10 + 1/6·1/5 + 1/3·41/30 = 12/180 + 21/180 + 6/180 + 82/180 = 121/180
 * φ_C = 1/3·0 + 1/6·(v(AC)−v(A)) + 1/6·(v(BC)−v(B)) + 1/3·(v(ABC)−v(AB))
 *     = 0 + 1/6·1/4 + 0 + 1/3·11/12 = 3/72 + 22/72 = 25/72
 * Σ φ = 305/360 + 242/360 + 125/360 = 672/360 = 28/15 = v(ABC)
 * credits φ/v: A 305/672, B 242/672 = 121/336, C 125/672
 * The closed form Σ r(T)/|T| over T ∋ c agrees: φ_A = 1/4 + 1/2·1/2 + 1/2·1/4 + 1/3·2/3 = 61/72.
 *
 * S = {A,B}: φ_A = 1/2·1/4 + 1/2·(19/20 − 1/5) = 1/2, φ_B = 1/2·1/5 + 1/2·(19/20 − 1/4) = 9/20, v = 19/20
 *            → credits A 10/19, B 9/19
 * S = {B,C}: φ_B = 1/5, φ_C = 0 → credits B 1, C 0
 * </pre>
 */
class ShapleyAttributionTest {
    private static final double EPS = 1e-12;
    private static final Set<String> ABC = Set.of("A", "B", "C");
    private static final List<Coalition> COALITIONS = List.of(
            new Coalition(Set.of("A"), 2, 8),
            new Coalition(Set.of("B"), 1, 5),
            new Coalition(Set.of("C"), 0, 3),
            new Coalition(Set.of("A", "B"), 3, 6),
            new Coalition(Set.of("A", "C"), 1, 4),
            new Coalition(ABC, 2, 3));

    private final ShapleyAttribution shapley = new ShapleyAttribution(COALITIONS);

    @Test
    void worthSumsTheRatesOfTheSetsInside() {
        assertEquals(1.0 / 4, shapley.worth(Set.of("A")), EPS);
        assertEquals(19.0 / 20, shapley.worth(Set.of("A", "B")), EPS);
        assertEquals(1.0 / 2, shapley.worth(Set.of("A", "C")), EPS);
        assertEquals(1.0 / 5, shapley.worth(Set.of("B", "C")), EPS);
        assertEquals(28.0 / 15, shapley.worth(ABC), EPS);
    }

    @Test
    void exactShapleyValuesOfThreeChannels() {
        Map<String, Double> phi = shapley.shapleyValues(ABC);
        assertEquals(61.0 / 72, phi.get("A"), EPS);
        assertEquals(121.0 / 180, phi.get("B"), EPS);
        assertEquals(25.0 / 72, phi.get("C"), EPS);

        assertTrue(shapley.isExact(ABC));
        Map<String, Double> credits = shapley.creditsForSet(ABC);
        assertEquals(List.of("A", "B", "C"), List.copyOf(credits.keySet()));
        assertEquals(305.0 / 672, credits.get("A"), EPS);
        assertEquals(121.0 / 336, credits.get("B"), EPS);
        assertEquals(125.0 / 672, credits.get("C"), EPS);
    }

    @Test
    void smallerSetsOnlyPlayTheirOwnSubgame() {
        Map<String, Double> ab = shapley.creditsForSet(Set.of("A", "B"));
        assertEquals(10.0 / 19, ab.get("A"), EPS);
        assertEquals(9.0 / 19, ab.get("B"), EPS);
        Map<String, Double> bc = shapley.creditsForSet(Set.of("B", "C"));
        assertEquals(1.0, bc.get("B"), EPS);
        assertEquals(0.0, bc.get("C"), EPS);
    }

    @Test
    void efficiencyShapleyValuesAddUpToTheWorth() {
        for (Set<String> s : List.of(Set.of("A"), Set.of("A", "B"), Set.of("A", "C"), Set.of("B", "C"), ABC)) {
            double sum = shapley.shapleyValues(s).values().stream().mapToDouble(Double::doubleValue).sum();
            assertEquals(shapley.worth(s), sum, EPS, s.toString());
        }
    }

    /** v is a sum of unanimity games with dividends r(T), so φ_c(S) = Σ r(T)/|T| over T ⊆ S with c ∈ T. */
    @Test
    void exactValuesEqualTheDividendClosedForm() {
        List<Coalition> many = new ArrayList<>();
        List<String> channels = List.of("a", "b", "c", "d", "e", "f", "g");
        for (int mask = 1; mask < 1 << channels.size(); mask++) {
            Set<String> set = new TreeSet<>();
            for (int i = 0; i < channels.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    set.add(channels.get(i));
                }
            }
            many.add(new Coalition(set, mask % 5, 10 + mask % 7));
        }
        ShapleyAttribution game = new ShapleyAttribution(many);
        Set<String> s = Set.copyOf(channels);
        Map<String, Double> phi = game.shapleyValues(s);
        for (String c : channels) {
            double closedForm = many.stream().filter(t -> t.channels().contains(c))
                    .mapToDouble(t -> (double) t.conversions() / t.journeys() / t.channels().size()).sum();
            assertEquals(closedForm, phi.get(c), EPS, c);
        }
    }

    @Test
    void aSingleChannelGetsTheWholeConversion() {
        assertEquals(Map.of("A", 1.0), shapley.creditsForSet(Set.of("A")));
        assertEquals(Map.of("C", 1.0), shapley.creditsForSet(Set.of("C")));
        assertEquals(Map.of("Z", 1.0), shapley.creditsForSet(Set.of("Z")));
    }

    /** No observed subset of {X, Y} ever converted: v = 0, so the conversion is split equally. */
    @Test
    void worthlessSetsSplitEqually() {
        assertEquals(Map.of("X", 0.5, "Y", 0.5), shapley.creditsForSet(Set.of("X", "Y")));
        assertEquals(1.0 / 3, shapley.creditsForSet(Set.of("C", "X", "Y")).get("C"), EPS);
    }

    @Test
    void theSameSetTwiceIsPooled() {
        ShapleyAttribution split = new ShapleyAttribution(List.of(
                new Coalition(Set.of("A"), 1, 4), new Coalition(Set.of("A"), 3, 4),
                new Coalition(Set.of("B"), 1, 2), new Coalition(Set.of("A", "B"), 0, 1)));
        // r(A) = 4/8 (not 1/4 or 3/4), r(B) = 1/2, r(AB) = 0: on {A, B} φ_A = φ_B = 1/2 → credits 1/2 each
        assertEquals(1.0 / 2, split.creditsForSet(Set.of("A", "B")).get("A"), EPS);
    }

    /**
     * Above maxExactChannels the values come from random orders: repeatable for a seed, still summing to 1, and
     * close to the exact ones (the standard error is at most 1/(2·√2000) ≈ 0.011 of a conversion).
     */
    @Test
    void sampledValuesAreRepeatableAndClose() {
        ShapleyAttribution sampled = new ShapleyAttribution(COALITIONS, 2, 2000, 42);
        assertFalse(sampled.isExact(ABC));
        assertTrue(sampled.isExact(Set.of("A", "B")));

        Map<String, Double> credits = sampled.creditsForSet(ABC);
        assertEquals(credits, new ShapleyAttribution(COALITIONS, 2, 2000, 42).creditsForSet(ABC));
        assertNotEquals(credits, shapley.creditsForSet(ABC), "sampled, not exact");
        assertEquals(1.0, credits.values().stream().mapToDouble(Double::doubleValue).sum(), EPS);
        assertEquals(305.0 / 672, credits.get("A"), 0.05);
        assertEquals(121.0 / 336, credits.get("B"), 0.05);
        assertEquals(125.0 / 672, credits.get("C"), 0.05);
        double sum = sampled.shapleyValues(ABC).values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(28.0 / 15, sum, EPS, "every order's marginals add up to v(S)");
    }

    /** Memoised per set: asking in another order or with another Set class gives the same credits. */
    @Test
    void creditsDoNotDependOnTheOrderOfQuestions() {
        ShapleyAttribution first = new ShapleyAttribution(COALITIONS, 2, 500, 1);
        ShapleyAttribution second = new ShapleyAttribution(COALITIONS, 2, 500, 1);
        first.creditsForSet(Set.of("A", "B"));
        Map<String, Double> a = first.creditsForSet(new TreeSet<>(ABC));
        assertEquals(a, second.creditsForSet(ABC));
        assertTrue(a == first.creditsForSet(Set.of("C", "B", "A")));
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> new Coalition(Set.of("A"), 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new Coalition(Set.of(), 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new ShapleyAttribution(COALITIONS, 21, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> shapley.creditsForSet(Set.of()));
    }
}
