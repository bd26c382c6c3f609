package com.tobwh.generate;

import java.util.List;
import java.util.Random;

/** Seeded randomness with the distributions the simulation needs; every component draws from its own stream. */
final class Rng {
    private final Random random;

    public Rng(long seed) {
        this.random = new Random(seed);
    }

    /**
     * An independent stream for a named component, so adding draws in one component never shifts
     * another component's numbers (keeps unrelated files stable while the generator evolves).
     */
    public static Rng stream(long seed, String name, long index) {
        long h = seed;
        for (int i = 0; i < name.length(); i++) {
            h = mix(h ^ name.charAt(i));
        }
        return new Rng(mix(h ^ mix(index + 0x632BE59BD9B4E019L)));
    }

    /** SplitMix64 finaliser: a bijection on 64-bit values, also used to make unique hex ids. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public double nextDouble() { return random.nextDouble(); }
    public long nextLong() { return random.nextLong(); }
    public int nextInt(int bound) { return random.nextInt(bound); }
    public double gaussian() { return random.nextGaussian(); }

    /** Uniform integer in [lo, hi], both inclusive. */
    public int between(int lo, int hi) {
        return hi <= lo ? lo : lo + random.nextInt(hi - lo + 1);
    }

    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    public double exponential(double mean) {
        return -mean * Math.log(1.0 - random.nextDouble());
    }

    public double lognormal(double median, double sigma) {
        return median * Math.exp(sigma * random.nextGaussian());
    }

    /** Poisson count; normal approximation for large means keeps this O(1). */
    public int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 40) {
            return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double l = Math.exp(-mean);
        double p = 1.0;
        int k = 0;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** Beta(a, b) for small integer a, b as an order statistic of uniforms. */
    public double betaInt(int a, int b) {
        int n = a + b - 1;
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = random.nextDouble();
        }
        java.util.Arrays.sort(u);
        return u[a - 1];
    }

    /** Index drawn with probability proportional to its weight. */
    public int weighted(double... weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    public <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    @SafeVarargs
    public final <T> T pick(T... items) {
        return items[random.nextInt(items.length)];
    }

    public <T> void shuffle(List<T> items) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = items.get(i);
            items.set(i, items.get(j));
            items.set(j, t);
        }
    }
}
