package com.tobwh.generate;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;

/** What to generate: where, how much, over which days, from which seed, with how many bad rows. */
public record GeneratorOptions(Path out, long seed, double scale, int days, LocalDate start, double badShare) {
    public static final long DEFAULT_SEED = 42L;
    public static final double DEFAULT_SCALE = 1.0;
    public static final int DEFAULT_DAYS = 365;
    public static final LocalDate DEFAULT_START = LocalDate.of(2026, 1, 1);
    public static final double DEFAULT_BAD_SHARE = 0.002;

    public GeneratorOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(start, "start");
        if (!(scale > 0) || scale > 100) {
            throw new IllegalArgumentException("scale must be in (0, 100], got " + scale);
        }
        if (days < 1 || days > 3660) {
            throw new IllegalArgumentException("days must be in [1, 3660], got " + days);
        }
        if (!(badShare >= 0) || badShare > 0.5) {
            throw new IllegalArgumentException("badShare must be in [0, 0.5], got " + badShare);
        }
    }

    /** The defaults (seed 42, scale 1, 365 days from 2026-01-01, 0.2% bad rows) writing to {@code out}. */
    public static GeneratorOptions defaults(Path out) {
        return new GeneratorOptions(out, DEFAULT_SEED, DEFAULT_SCALE, DEFAULT_DAYS, DEFAULT_START, DEFAULT_BAD_SHARE);
    }

    public GeneratorOptions withSeed(long s) { return new GeneratorOptions(out, s, scale, days, start, badShare); }
    public GeneratorOptions withScale(double s) { return new GeneratorOptions(out, seed, s, days, start, badShare); }
    public GeneratorOptions withDays(int d) { return new GeneratorOptions(out, seed, scale, d, start, badShare); }
    public GeneratorOptions withStart(LocalDate s) { return new GeneratorOptions(out, seed, scale, days, s, badShare); }
    public GeneratorOptions withBadShare(double b) { return new GeneratorOptions(out, seed, scale, days, start, b); }
    public GeneratorOptions withOut(Path o) { return new GeneratorOptions(o, seed, scale, days, start, badShare); }
}
