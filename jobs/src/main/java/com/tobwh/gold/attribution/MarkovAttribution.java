package com.tobwh.gold.attribution;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Weighs channels by their removal effect in a first-order Markov chain fitted to distinct journey paths.
 *
 * <p>States are START, one per channel, and the absorbing CONVERSION and NULL. A path {@code c1 → … → ck} seen in
 * {@code conversions + nulls} journeys adds that many transitions START→c1, c1→c2, …, and {@code conversions} of
 * ck→CONVERSION and {@code nulls} of ck→NULL; each state's transition probabilities are its counts over its
 * outgoing total. The probability of reaching CONVERSION from START is solved exactly from the linear system
 * {@code x = Q·x + b} over the transient states (Gaussian elimination with partial pivoting), which is cheap for the
 * few dozen channels a business has, and unlike a simulation gives the same digits on every run.
 *
 * <p>Removing channel c sends every transition into c to NULL, i.e. fixes {@code x_c = 0}; its removal effect is
 * {@code 1 − P_without_c / P_base}.
 *
 * <p>Consecutive repeats of a channel are taken as given, not collapsed. Either way gives the same result: a
 * self-loop with probability q turns {@code x = q·x + r} into {@code x = r / (1 − q)}, which is what dropping the
 * loop and renormalising the other transitions gives. The solver keeps q on the diagonal rather than relying on
 * that, so the caller need not care.
 */
public final class MarkovAttribution {
    private MarkovAttribution() {
    }

    /** One distinct channel sequence (touches in time order) and how many journeys with it converted or not. */
    public record Path(List<String> channels, long conversions, long nulls) {
        public Path {
            channels = List.copyOf(channels);
            // A journey without touches has nothing to credit; the caller books it to "unattributed".
            if (channels.isEmpty()) {
                throw new IllegalArgumentException("a path needs at least one channel");
            }
            if (conversions < 0 || nulls < 0) {
                throw new IllegalArgumentException("negative count on path " + channels);
            }
        }
    }

    /**
     * The fitted model, maps sorted by channel.
     *
     * @param baseConversionProbability P(CONVERSION | START) with every channel present
     * @param removalEffect             {@code 1 − P_without_c / P_base} per channel, in [0, 1]; all 0 when nothing
     *                                  converted (P_base = 0), since then no channel can be missed
     * @param weight                    removal effects normalised to sum to 1; every channel 0 when all removal
     *                                  effects are 0, which {@link #creditsForPath} turns into an equal split
     */
    public record Result(double baseConversionProbability, Map<String, Double> removalEffect,
                         Map<String, Double> weight) {
        public Result {
            removalEffect = Collections.unmodifiableSortedMap(new TreeMap<>(removalEffect));
            weight = Collections.unmodifiableSortedMap(new TreeMap<>(weight));
        }
    }

    public static Result fit(Collection<Path> paths) {
        List<String> channels = new ArrayList<>(new TreeSet<>(paths.stream()
                .flatMap(p -> p.channels().stream()).toList()));
        Chain chain = Chain.of(paths, channels);
        double base = chain.conversionProbability(-1);

        SortedMap<String, Double> removalEffect = new TreeMap<>();
        for (int i = 0; i < channels.size(); i++) {
            double without = chain.conversionProbability(Chain.stateOf(i));
            // Removing a state can only lower the probability; clamp rounding noise so effects stay in [0, 1].
            removalEffect.put(channels.get(i), base > 0 ? Math.min(1, Math.max(0, 1 - without / base)) : 0.0);
        }
        double total = removalEffect.values().stream().mapToDouble(Double::doubleValue).sum();
        SortedMap<String, Double> weight = new TreeMap<>();
        removalEffect.forEach((c, e) -> weight.put(c, total > 0 ? e / total : 0.0));
        return new Result(base, removalEffect, weight);
    }

    /**
     * One conversion spread over the distinct channels of {@code path} in proportion to their weights (a channel
     * missing from {@code weight} weighs 0); an equal split when they all weigh 0. Sums to 1, sorted by channel.
     * The caller splits a channel's share equally over that channel's touches.
     */
    public static Map<String, Double> creditsForPath(List<String> path, Map<String, Double> weight) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String c : path) {
            scores.put(c, weight.getOrDefault(c, 0.0));
        }
        return Credits.proportional(scores);
    }

    /** Transition counts between START (state 0) and the channels (states 1..n), and into the absorbing states. */
    private static final class Chain {
        private final double[][] between;
        private final double[] toConversion;
        private final double[] outgoing;

        private Chain(int states) {
            between = new double[states][states];
            toConversion = new double[states];
            outgoing = new double[states];
        }

        static int stateOf(int channel) {
            return channel + 1;
        }

        static Chain of(Collection<Path> paths, List<String> channels) {
            Map<String, Integer> state = new LinkedHashMap<>();
            for (int i = 0; i < channels.size(); i++) {
                state.put(channels.get(i), stateOf(i));
            }
            int n = channels.size() + 1;
            Chain chain = new Chain(n);
            for (Path p : paths) {
                double journeys = (double) p.conversions() + p.nulls();
                int from = 0;
                for (String c : p.channels()) {
                    int to = state.get(c);
                    chain.between[from][to] += journeys;
                    chain.outgoing[from] += journeys;
                    from = to;
                }
                chain.toConversion[from] += p.conversions();
                chain.outgoing[from] += journeys;
            }
            return chain;
        }

        /** P(CONVERSION | START), with state {@code removed} (or none, when negative) turned into NULL. */
        double conversionProbability(int removed) {
            int n = outgoing.length;
            double[][] a = new double[n][n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                a[i][i] = 1;
                // A removed state, or one no journey ever left (it only appears on paths of 0 journeys), converts
                // with probability 0.
                if (i == removed || outgoing[i] == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    a[i][j] -= between[i][j] / outgoing[i];
                }
                b[i] = toConversion[i] / outgoing[i];
            }
            return solve(a, b)[0];
        }
    }

    /**
     * Solves {@code a·x = b} in place by Gaussian elimination with partial pivoting. {@code I − Q} is regular here:
     * every transition count comes from a path that ends in CONVERSION or NULL, so each state that has outgoing
     * transitions can reach absorption.
     */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            if (a[pivot][col] == 0 || !Double.isFinite(a[pivot][col])) {
                throw new IllegalStateException("singular transition system at column " + col);
            }
            double[] rowSwap = a[col];
            a[col] = a[pivot];
            a[pivot] = rowSwap;
            double bSwap = b[col];
            b[col] = b[pivot];
            b[pivot] = bSwap;
            for (int row = col + 1; row < n; row++) {
                double f = a[row][col] / a[col][col];
                if (f == 0) {
                    continue;
                }
                for (int k = col; k < n; k++) {
                    a[row][k] -= f * a[col][k];
                }
                b[row] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int row = n - 1; row >= 0; row--) {
            double s = b[row];
            for (int k = row + 1; k < n; k++) {
                s -= a[row][k] * x[k];
            }
            x[row] = s / a[row][row];
        }
        return x;
    }
}
