package com.tobwh.gold.attribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credits a conversion to the channels of its journey by their Shapley values in the "simplified Shapley" game of
 * Zhao et al. (2018).
 *
 * <p>r(T) is the conversion rate of the journeys whose channel set is exactly T (0 if there are none), and the
 * worth of a set S is {@code v(S) = Σ r(T)} over the non-empty T ⊆ S. A conversion whose journey touched S gives
 * each c ∈ S the share {@code φ_c(S) / Σ φ(S)} (Σ φ(S) = v(S) by efficiency), or an equal split when v(S) = 0.
 *
 * <p>Up to {@code maxExactChannels} channels φ is exact: v over all 2^|S| subsets of S, then the Shapley sum over
 * subsets. Above that it is the mean marginal worth over {@code permutations} random orders of S. Each set draws
 * its orders from a generator seeded with the seed and the set's sorted channel names, so a set's credits don't
 * depend on which sets were asked for before it. Each order's marginals add up to v(S), so the estimate keeps
 * efficiency exactly; only the split between channels is approximate, with a standard error below
 * {@code 1/(2·√permutations)} of v(S) per channel.
 *
 * <p>Because v is a sum of unanimity games with dividends r(T), the exact values also equal
 * {@code φ_c(S) = Σ r(T) / |T|} over T ⊆ S containing c; the tests use that as an independent check.
 */
public final class ShapleyAttribution {
    public static final int DEFAULT_MAX_EXACT_CHANNELS = 12;
    public static final int DEFAULT_PERMUTATIONS = 2000;
    public static final long DEFAULT_SEED = 42L;
    /** v over 2^20 subsets is 8 MB of doubles; beyond that the exact way stops being cheap. */
    public static final int MAX_EXACT_CHANNELS_LIMIT = 20;

    private final Map<Set<String>, Double> rate = new HashMap<>();
    private final int maxExactChannels;
    private final int permutations;
    private final long seed;
    private final Map<Set<String>, Map<String, Double>> credits = new ConcurrentHashMap<>();

    /** Journeys whose distinct channels were exactly {@code channels}, and how many of them converted. */
    public record Coalition(Set<String> channels, long conversions, long journeys) {
        public Coalition {
            channels = Set.copyOf(channels);
            // A journey without touches has nothing to credit; the caller books it to "unattributed".
            if (channels.isEmpty()) {
                throw new IllegalArgumentException("a coalition needs at least one channel");
            }
            if (conversions < 0 || journeys < conversions) {
                throw new IllegalArgumentException("need 0 <= conversions <= journeys for " + channels);
            }
        }
    }

    public ShapleyAttribution(Collection<Coalition> coalitions) {
        this(coalitions, DEFAULT_MAX_EXACT_CHANNELS, DEFAULT_PERMUTATIONS, DEFAULT_SEED);
    }

    public ShapleyAttribution(Collection<Coalition> coalitions, int maxExactChannels, int permutations, long seed) {
        if (maxExactChannels < 0 || maxExactChannels > MAX_EXACT_CHANNELS_LIMIT) {
            throw new IllegalArgumentException("maxExactChannels must be in [0, " + MAX_EXACT_CHANNELS_LIMIT + "]");
        }
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be positive");
        }
        this.maxExactChannels = maxExactChannels;
        this.permutations = permutations;
        this.seed = seed;
        // The same set may come in more than once (e.g. one row per month); its rate is over all of its journeys.
        Map<Set<String>, long[]> counts = new HashMap<>();
        for (Coalition c : coalitions) {
            long[] n = counts.computeIfAbsent(c.channels(), k -> new long[2]);
            n[0] += c.conversions();
            n[1] += c.journeys();
        }
        counts.forEach((set, n) -> {
            if (n[1] > 0 && n[0] > 0) {
                rate.put(set, (double) n[0] / n[1]);
            }
        });
    }

    public boolean isExact(Set<String> s) {
        return s.size() <= maxExactChannels;
    }

    /** One conversion of a journey that touched the channels {@code s}: credits summing to 1, sorted by channel. */
    public Map<String, Double> creditsForSet(Set<String> s) {
        return credits.computeIfAbsent(Set.copyOf(s), k -> Credits.proportional(shapleyValues(k)));
    }

    /** v(S): the summed rates of the observed channel sets inside S. */
    double worth(Set<String> s) {
        return members(new ArrayList<>(new TreeSet<>(s))).stream().mapToDouble(Member::rate).sum();
    }

    /** φ_c(S) for each c ∈ S, not normalised (they add up to v(S)), sorted by channel. */
    Map<String, Double> shapleyValues(Set<String> s) {
        List<String> names = new ArrayList<>(new TreeSet<>(s));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no channel to credit");
        }
        double[] phi = isExact(s) ? exact(names) : sampled(names);
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), phi[i]);
        }
        return values;
    }

    private double[] exact(List<String> names) {
        int n = names.size();
        double[] v = new double[1 << n];
        for (Member m : members(names)) {
            int mask = 0;
            for (int i : m.indices()) {
                mask |= 1 << i;
            }
            v[mask] = m.rate();
        }
        // Sum over subsets, one channel at a time: afterwards v[S'] = Σ r(T) over T ⊆ S'.
        for (int bit = 1; bit < v.length; bit <<= 1) {
            for (int mask = 0; mask < v.length; mask++) {
                if ((mask & bit) != 0) {
                    v[mask] += v[mask ^ bit];
                }
            }
        }
        // |T|!(n−|T|−1)!/n! = 1/(n·C(n−1, |T|)), which stays exact in a double where the factorials would not.
        double[] shapleyWeight = new double[n];
        double binomial = 1;
        for (int k = 0; k < n; k++) {
            shapleyWeight[k] = 1 / (n * binomial);
            binomial = binomial * (n - 1 - k) / (k + 1);
        }
        double[] phi = new double[n];
        for (int c = 0; c < n; c++) {
            int bit = 1 << c;
            for (int t = 0; t < v.length; t++) {
                if ((t & bit) == 0) {
                    phi[c] += shapleyWeight[Integer.bitCount(t)] * (v[t | bit] - v[t]);
                }
            }
        }
        return phi;
    }

    private double[] sampled(List<String> names) {
        int n = names.size();
        List<Member> members = members(names);
        List<List<Integer>> containing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            containing.add(new ArrayList<>());
        }
        for (int k = 0; k < members.size(); k++) {
            for (int i : members.get(k).indices()) {
                containing.get(i).add(k);
            }
        }
        Random random = new Random(seed * 31 + names.hashCode());
        int[] order = new int[n];
        double[] phi = new double[n];
        for (int p = 0; p < permutations; p++) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            // A channel's marginal worth is the rate of every observed set it completes.
            int[] missing = members.stream().mapToInt(m -> m.indices().length).toArray();
            for (int c : order) {
                for (int k : containing.get(c)) {
                    if (--missing[k] == 0) {
                        phi[c] += members.get(k).rate();
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            phi[i] /= permutations;
        }
        return phi;
    }

    /** An observed channel set inside S, as ascending positions in S's sorted channel list. */
    private record Member(int[] indices, double rate) {
    }

    /** The observed sets inside S, in a fixed order so that sums round the same way in every JVM. */
    private List<Member> members(List<String> sortedNames) {
        Set<String> s = Set.copyOf(sortedNames);
        List<Member> members = new ArrayList<>();
        rate.forEach((set, r) -> {
            if (s.containsAll(set)) {
                members.add(new Member(set.stream().mapToInt(sortedNames::indexOf).sorted().toArray(), r));
            }
        });
        members.sort((a, b) -> Arrays.compare(a.indices(), b.indices()));
        return members;
    }
}
