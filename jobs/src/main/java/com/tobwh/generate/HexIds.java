package com.tobwh.generate;

/** Deterministic tracker-style ids (prefix + 16 hex digits) that never repeat within one sequence. */
final class HexIds {
    private final String prefix;
    private final long salt;
    private long counter;

    public HexIds(String prefix, long seed) {
        this.prefix = prefix;
        this.salt = Rng.mix(seed ^ prefix.hashCode() * 0x9E3779B97F4A7C15L);
    }

    /** Hashing a counter through a bijection gives random-looking ids that are unique by construction. */
    public String next() {
        long v = Rng.mix(salt + counter++);
        String hex = Long.toHexString(v);
        return prefix + "0".repeat(16 - hex.length()) + hex;
    }
}
