package com.tobwh.gold.attribution;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Turns non-negative scores of a journey's channels into one conversion's credits. */
final class Credits {
    private Credits() {
    }

    /**
     * Credits proportional to {@code scores}, or an equal split when every score is 0, sorted by channel. Dividing by
     * the sum actually taken (not by a total computed elsewhere) is what keeps the credits' sum within a few ulps of
     * 1, so that the mart's "credits add up" gate holds however the scores were rounded on the way.
     */
    static SortedMap<String, Double> proportional(Map<String, Double> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("no channel to credit");
        }
        double sum = 0;
        for (double s : scores.values()) {
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("scores must be finite and non-negative: " + scores);
            }
            sum += s;
        }
        SortedMap<String, Double> credits = new TreeMap<>();
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            credits.put(e.getKey(), sum > 0 ? e.getValue() / sum : 1.0 / scores.size());
        }
        return Collections.unmodifiableSortedMap(credits);
    }
}
