package com.tobwh.gold.attribution;

import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Bridges the aggregated paths Spark collects to the driver-side Markov and Shapley fits. */
final class DataDriven {
    private DataDriven() {
    }

    /** Rows (path array of channels, n) of converted and of open journeys → channel weights summing to 1. */
    static Map<String, Double> markovWeights(List<Row> converted, List<Row> open) {
        Map<List<String>, long[]> counts = new LinkedHashMap<>();
        converted.forEach(r -> counts.computeIfAbsent(r.getList(0), k -> new long[2])[0] += r.getLong(1));
        open.forEach(r -> counts.computeIfAbsent(r.getList(0), k -> new long[2])[1] += r.getLong(1));
        List<MarkovAttribution.Path> paths = new ArrayList<>();
        counts.forEach((p, n) -> paths.add(new MarkovAttribution.Path(p, n[0], n[1])));
        return paths.isEmpty() ? Map.of() : MarkovAttribution.fit(paths).weight();
    }

    /** Rows (channel set "a|b|c", n) → for each converted set, each channel's share of a conversion (sums to 1). */
    static Map<String, Map<String, Double>> shapleyShares(List<Row> converted, List<Row> open, int maxExact) {
        Map<String, long[]> counts = new TreeMap<>();
        converted.forEach(r -> {
            long[] c = counts.computeIfAbsent(r.getString(0), k -> new long[2]);
            c[0] += r.getLong(1);
            c[1] += r.getLong(1);
        });
        open.forEach(r -> counts.computeIfAbsent(r.getString(0), k -> new long[2])[1] += r.getLong(1));
        List<ShapleyAttribution.Coalition> coalitions = new ArrayList<>();
        counts.forEach((k, n) -> coalitions.add(new ShapleyAttribution.Coalition(set(k), n[0], n[1])));
        ShapleyAttribution shapley = new ShapleyAttribution(coalitions, maxExact,
                ShapleyAttribution.DEFAULT_PERMUTATIONS, ShapleyAttribution.DEFAULT_SEED);
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        converted.forEach(r -> out.put(r.getString(0), shapley.creditsForSet(set(r.getString(0)))));
        return out;
    }

    private static Set<String> set(String key) {
        return new LinkedHashSet<>(List.of(key.split("\\|")));
    }
}
