package com.tobwh.pipeline;

import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

/**
 * What one job rebuilds in this run: everything, nothing (skip), or the rows of a set of keys. Worked out from the
 * job's {@link Incremental} declaration and its inputs' changes since the versions it last built from.
 */
record Scope(String mode, Set<String> keys, String key, Map<String, Incremental.Rule> rules, String reason) {
    static final Scope FULL = new Scope("full", null, null, Map.of(), null);

    /** More changed keys than this and a whole rebuild is cheaper than a replace by key list. */
    static final int MAX_KEYS = 20_000;

    boolean skip() {
        return mode.equals("skipped");
    }

    static Scope plan(Job job, RunContext ctx, DeltaTables tables, Map<String, Long> consumed,
                      Map<String, Long> versions) {
        Incremental inc = job.incremental();
        if (ctx.fullRefresh()) {
            return full("full refresh");
        }
        if (consumed.isEmpty() || !tables.exists(job.output())) {
            return full("first build");
        }
        List<String> changed = versions.keySet().stream()
                .filter(in -> !versions.get(in).equals(consumed.get(in))).toList();
        if (inc.kind() == Incremental.Kind.ALWAYS) {
            return full("depends on the run date");
        }
        if (changed.isEmpty()) {
            return new Scope("skipped", null, null, Map.of(), "skipped: no input changed");
        }
        if (inc.kind() == Incremental.Kind.WHEN_INPUTS_CHANGE) {
            return full("changed: " + String.join(", ", changed));
        }
        Dataset<Row> current = tables.read(job.output());
        List<Dataset<Row>> keySets = new ArrayList<>();
        for (String in : changed) {
            Incremental.Rule rule = inc.rules().get(in);
            if (rule == null) {
                throw new IllegalStateException(job.output() + " declares no incremental rule for its input " + in);
            }
            if (rule instanceof Incremental.Rule.Ignore) {
                continue;
            }
            Long after = consumed.get(in);
            Optional<Dataset<Row>> changes = rule instanceof Incremental.Rule.Full || after == null ? Optional.empty()
                    : tables.changes(in, after, versions.get(in));
            if (changes.isEmpty()) {
                return full("every row of " + in + " may have changed");
            }
            if (rule instanceof Incremental.Rule.Column c) {
                keySets.add(changes.get().select(col(c.column()).cast("string").as("_key")));
            } else if (rule instanceof Incremental.Rule.ViaOutput v) {
                Dataset<Row> hit = changes.get().select(col(v.inputColumn()).as("_hit")).distinct();
                keySets.add(current.join(broadcast(hit), current.col(v.outputColumn()).equalTo(hit.col("_hit")))
                        .select(current.col(inc.key()).cast("string").as("_key")));
            }
        }
        Set<String> keys = new TreeSet<>();
        if (!keySets.isEmpty()) {
            List<Row> rows = keySets.stream().reduce(Dataset::union).orElseThrow()
                    .filter(col("_key").isNotNull()).distinct().limit(MAX_KEYS + 1).collectAsList();
            if (rows.size() > MAX_KEYS) {
                return full("more than " + MAX_KEYS + " " + inc.key() + " values changed");
            }
            rows.forEach(r -> keys.add(r.getString(0)));
        }
        if (keys.isEmpty()) {
            return new Scope("skipped", null, null, Map.of(), "skipped: no " + inc.key() + " affected by "
                    + String.join(", ", changed));
        }
        return new Scope("by_key", keys, inc.key(), inc.rules(), "rebuilt " + keys.size() + " " + inc.key()
                + " values changed in " + String.join(", ", changed));
    }

    private static Scope full(String why) {
        return new Scope("full", null, null, Map.of(), "full: " + why);
    }

    /** The inputs a rebuild of these keys needs: keyed inputs cut down to the keys, lookups whole. */
    Map<String, Dataset<Row>> restrict(Map<String, Dataset<Row>> inputs) {
        if (keys == null) {
            return inputs;
        }
        Map<String, Dataset<Row>> out = new HashMap<>(inputs);
        rules.forEach((in, rule) -> {
            if (rule instanceof Incremental.Rule.Column c && out.containsKey(in)) {
                out.put(in, out.get(in).filter(col(c.column()).cast("string").isin(keys.toArray())));
            }
        });
        return out;
    }

    /** The built rows to write: with a key scope, only rows of those keys (others are not being replaced). */
    Dataset<Row> keep(Dataset<Row> rows) {
        return keys == null ? rows : rows.filter(col(key).cast("string").isin(keys.toArray()));
    }
}
