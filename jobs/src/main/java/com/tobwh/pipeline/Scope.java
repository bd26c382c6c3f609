package com.tobwh.pipeline;

import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.arrays_overlap;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

/**
 * What one job rebuilds in this run: everything, nothing (skip), or the rows of a set of keys. Worked out from the
 * job's {@link Incremental} declaration and its inputs' changes since the versions it last built from.
 */
record Scope(String mode, Set<String> keys, List<String> key, Map<String, Column> keyedInputs,
             Map<String, Column> bounds, Entities entities, Map<String, Dataset<Row>> carried,
             DeltaTables.Since since, String reason) {
    static final Scope FULL = new Scope("full", null, null, Map.of(), Map.of(), null, Map.of(), null, null);

    /** The inputs read through an entity, cut down to the entities ({@code feeding}, one column) feeding the keys. */
    record Entities(String column, Set<String> inputs, Dataset<Row> feeding) {
    }

    /** More changed keys than this and a whole rebuild is cheaper than a replace by key list. */
    static final int MAX_KEYS = 20_000;

    /** The reason given to jobs built from configuration alone (no input tables). */
    static final String CONFIGURATION_ONLY = "full: built from configuration alone";

    /**
     * The entry of a job built from configuration alone among the versions it built from ({@code input_versions}
     * of ops.run_log): the fingerprint of its configuration and the build of the code ({@link Release}).
     */
    static final String BUILT_FROM = "(configuration and release)";

    /** The reason given to jobs rebuilt whole every run because their rows depend on the run date. */
    static final String RUN_DATE_ONLY = "full: depends on the run date";

    /**
     * Whether only the rows that differ from the table's are written (see {@link #RUN_DATE_ONLY}): most of such a
     * table comes out as it was, and rewriting it whole would hand every reader of its change feed every row.
     */
    boolean writeOnlyChangedRows() {
        return RUN_DATE_ONLY.equals(reason);
    }

    boolean skip() {
        return mode.equals("skipped");
    }

    /** Whether the rebuilt rows are compared with the table's before writing (see {@link #CONFIGURATION_ONLY}). */
    boolean writeOnlyIfChanged() {
        return CONFIGURATION_ONLY.equals(reason);
    }

    /**
     * @param versions the versions of the job's input tables this run reads
     * @param now      those inputs as this run reads them (at {@code versions})
     */
    static Scope plan(Job job, RunContext ctx, DeltaTables tables, JobState last, Map<String, Long> versions,
                      Map<String, Dataset<Row>> now) {
        Incremental inc = job.incremental();
        if (ctx.fullRefresh()) {
            return full("full refresh");
        }
        Map<String, Long> consumed = last.inputVersions();
        if (last.asOf() == null || !tables.exists(job.output())) {
            return full("first build");
        }
        // A release that changes a table's columns or partitioning: rows rebuilt by key would not fit the stored ones.
        DeltaTables.Detail stored = tables.detail(job.output());
        List<String> documented = TableSchemas.columns(job.output());
        if (documented != null && !documented.equals(stored.columns())) {
            return full("the table's columns " + stored.columns() + " are not its documented ones " + documented
                    + " (built by an earlier release)");
        }
        if (!job.partitionBy().equals(stored.partitionColumns())) {
            return full("the table is partitioned by " + stored.partitionColumns() + ", the job by "
                    + job.partitionBy() + " (built by an earlier release)");
        }
        if (versions.isEmpty() || versions.keySet().equals(Set.of(BUILT_FROM))) {
            Long builtFrom = versions.get(BUILT_FROM);
            if (builtFrom != null && builtFrom.equals(consumed.get(BUILT_FROM))) {
                return new Scope("skipped", null, null, Map.of(), Map.of(), null, Map.of(), null,
                        "skipped: the same configuration and release as its last run");
            }
            // No input version can say the configuration it is built from changed: rebuild, and the run writes
            // nothing when the rows are the table's (so its readers see no new version).
            return new Scope("full", null, null, Map.of(), Map.of(), null, Map.of(), null, CONFIGURATION_ONLY);
        }
        List<String> changed = versions.keySet().stream()
                .filter(in -> !versions.get(in).equals(consumed.get(in))).toList();
        if (inc.kind() == Incremental.Kind.ALWAYS) {
            return new Scope("full", null, null, Map.of(), Map.of(), null, Map.of(), null, RUN_DATE_ONLY);
        }
        Incremental.Entity entity = inc.entity();
        boolean datesMatter = inc.runDateKeys() != null || inc.movingRows() != null
                || entity != null && entity.onRunDates() != null;
        boolean dateMoved = datesMatter && last.asOf() != null && !ctx.asOf().equals(last.asOf());
        if (changed.isEmpty() && !dateMoved) {
            return new Scope("skipped", null, null, Map.of(), Map.of(), null, Map.of(), null,
                    "skipped: no input changed");
        }
        if (inc.kind() == Incremental.Kind.WHEN_INPUTS_CHANGE) {
            return full("changed: " + String.join(", ", changed));
        }
        String what = String.join("|", inc.key());
        List<String> causes = new ArrayList<>(changed);
        List<Dataset<Row>> keySets = new ArrayList<>();
        List<Dataset<Row>> reached = new ArrayList<>();
        Dataset<Row> current = tables.read(job.output());
        if (dateMoved) {
            if (ctx.asOf().isBefore(last.asOf())) {
                return full("the run date " + ctx.asOf() + " is before the last run's, " + last.asOf());
            }
            if (inc.runDateKeys() != null) {
                keySets.add(keysOf(datesAfter(last.asOf(), ctx.asOf()), inc.runDateKeys().apply(ctx)));
            }
            if (inc.movingRows() != null) {
                keySets.add(keysOf(current.filter(inc.movingRows()), inc.keyValue()));
            }
            if (entity != null && entity.onRunDates() != null) {
                Dataset<Row> byDates = entity.onRunDates().entities(now, last.asOf(), ctx.asOf());
                if (byDates == null) {
                    return full("the run date since " + last.asOf() + " reaches every " + what);
                }
                reached.add(byDates.select(col(entity.column())));
            }
            causes.add("the run date since " + last.asOf());
        }
        // Every keyed input is cut down to its rows feeding the scope, changed or not.
        Map<String, Column> keyed = new HashMap<>();
        inc.rules().forEach((in, rule) -> {
            Column keysOfRow = rule instanceof Incremental.Rule.Keys k ? k.keys().apply(ctx) : null;
            if (keysOfRow != null) {
                keyed.put(in, keysOfRow);
            }
        });
        Column lookedUp = null;
        Dataset<Row> resumeChanges = null;
        // Whether every changed input the job does not ignore is one it resumes over.
        boolean resumable = true;
        for (String in : changed) {
            Incremental.Rule rule = inc.rules().get(in);
            if (rule == null) {
                throw new IllegalStateException(job.output() + " declares no incremental rule for its input " + in);
            }
            if (rule instanceof Incremental.Rule.Ignore) {
                continue;
            }
            Incremental.From folded = inc.resume() == null ? null : inc.resume().of(in);
            resumable &= folded != null || inc.resume() != null && inc.resume().alongside().contains(in);
            Column keysOfRow = keyed.get(in);
            Long after = consumed.get(in);
            // A keys rule that gives no expression (under this configuration) is a full one.
            Optional<Dataset<Row>> changes = rule instanceof Incremental.Rule.Full || after == null
                    || (rule instanceof Incremental.Rule.Keys && keysOfRow == null) ? Optional.empty()
                    : tables.changes(in, after, versions.get(in), inc.reads().get(in));
            if (changes.isEmpty()) {
                return full("every row of " + in + " may have changed");
            }
            if (keysOfRow != null) {
                keySets.add(keysOf(changes.get(), keysOfRow));
                if (folded != null) {
                    Dataset<Row> times = changes.get().filter(keysOfRow.isNotNull())
                            .select(col(folded.time()).cast("timestamp").as("_time"));
                    resumeChanges = resumeChanges == null ? times : resumeChanges.union(times);
                }
            } else if (rule instanceof Incremental.Rule.ViaEntity) {
                if (entity == null) {
                    throw new IllegalStateException(job.output() + " reads " + in + " through an entity it does not "
                            + "declare (Incremental.throughEntity)");
                }
                reached.add(changes.get().select(col(entity.column())));
            } else if (rule instanceof Incremental.Rule.ViaInput v) {
                Column keysOfLookup = keyed.get(v.input());
                if (keysOfLookup == null) {
                    throw new IllegalStateException(job.output() + " looks " + in + "'s changes up in " + v.input()
                            + ", which has no keys rule");
                }
                Dataset<Row> hit = changes.get().select(col(v.changedColumn()).as("_hit")).distinct();
                Dataset<Row> lookup = now.get(v.input());
                keySets.add(keysOf(lookup.join(broadcast(hit), v.value().equalTo(hit.col("_hit")), "left_semi"),
                        keysOfLookup));
            } else if (rule instanceof Incremental.Rule.ViaOutput v) {
                Dataset<Row> values = v.since() == null
                        ? changes.get().select(col(v.inputColumn()).as("_value"), lit(null).cast("timestamp")
                                .as("_since"))
                        : v.since().apply(changes.get()).select(col("_value"), col("_since").cast("timestamp"));
                List<Row> hit = values.filter(col("_value").isNotNull()).distinct().limit(MAX_KEYS + 1)
                        .collectAsList();
                if (hit.size() > MAX_KEYS) {
                    return full("more than " + MAX_KEYS + " " + v.inputColumn() + " values of " + in + " changed");
                }
                Column found = lookup(current.col(v.outputColumn()), v.outputTime(), hit);
                if (found != null) {
                    lookedUp = lookedUp == null ? found : lookedUp.or(found);
                }
            }
        }
        if (lookedUp != null) {
            // One scan of the table for every lookup, by literal values that Parquet and Delta's statistics can
            // skip by, rather than a join per lookup.
            keySets.add(current.filter(lookedUp).select(inc.keyValue().cast("string").as("_key")));
        }
        Set<String> through = null;
        if (!reached.isEmpty()) {
            // The entities' keys before the change (as of the last run) and after it: a key an entity left is
            // rebuilt without it, the one it joined with it.
            through = inc.rules().entrySet().stream()
                    .filter(r -> r.getValue() instanceof Incremental.Rule.ViaEntity).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            Dataset<Row> hit = reached.stream().reduce(Dataset::union).orElseThrow()
                    .filter(col(entity.column()).isNotNull()).distinct();
            Map<String, Dataset<Row>> before = new HashMap<>();
            for (String in : versions.keySet()) {
                if (!consumed.containsKey(in)) {
                    return full(in + " is a new input");
                }
                try {
                    before.put(in, tables.readAt(in, consumed.get(in)));
                } catch (Exception e) {
                    return full("version " + consumed.get(in) + " of " + in + " is no longer readable");
                }
            }
            keySets.add(entity.keysOf().keys(onlyOf(now, through, entity.column(), hit), ctx.asOf())
                    .select(col("_key").cast("string")));
            keySets.add(entity.keysOf().keys(onlyOf(before, through, entity.column(), hit), last.asOf())
                    .select(col("_key").cast("string")));
        }
        Set<String> keys = new TreeSet<>();
        if (!keySets.isEmpty()) {
            List<Row> rows;
            try {
                rows = keySets.stream().reduce(Dataset::union).orElseThrow()
                        .filter(col("_key").isNotNull()).distinct().limit(MAX_KEYS + 1).collectAsList();
            } catch (Exception e) {
                // Spark's SparkException is checked in Java's terms but undeclared, so only Exception catches it.
                if (through != null && causedByMissingFile(e)) {
                    return full("the versions it last built from are no longer readable (vacuumed)");
                }
                throw e;
            }
            if (rows.size() > MAX_KEYS) {
                return full("more than " + MAX_KEYS + " " + what + " values changed");
            }
            rows.forEach(r -> keys.add(r.getString(0)));
        }
        if (keys.isEmpty()) {
            return new Scope("skipped", null, null, Map.of(), Map.of(), null, Map.of(), null, "skipped: no " + what
                    + " affected by " + String.join(", ", causes));
        }
        Entities entities = through == null ? null : new Entities(entity.column(), through,
                entity.keysOf().keys(now, ctx.asOf()).filter(col("_key").cast("string").isin(keys.toArray()))
                        .select(entity.column()).distinct());
        Map<String, Column> bounds = new HashMap<>();
        inc.rules().forEach((in, rule) -> {
            if (keyed.containsKey(in) && rule instanceof Incremental.Rule.Keys k && k.bound() != null) {
                bounds.put(in, k.bound().apply(ctx, keys));
            }
        });
        Map<String, Dataset<Row>> carried = Map.of();
        String resumed = "";
        boolean resuming = inc.resume() != null && resumable && !dateMoved;
        // Only inputs read alongside the fold changed: the keys' folds stand as the table holds them.
        boolean foldsStand = resuming && resumeChanges == null;
        Timestamp from = resuming && !foldsStand ? resumeFrom(resumeChanges) : null;
        if (from != null || foldsStand) {
            Incremental.Resume r = inc.resume();
            // Pinned to its version: the replace rewrites the table while these rows are still being read.
            Dataset<Row> keysRows = ofKeys(tables.readAt(job.output(), tables.latestVersion(job.output())),
                    inc.key(), keys);
            Map<String, Column> sinceOf = new HashMap<>();
            for (Incremental.From f : r.inputs()) {
                Column since = foldsStand ? lit(false) : col(f.time()).geq(lit(from));
                if (f.month() != null && !foldsStand) {
                    since = since.and(col(f.month()).geq(lit(java.sql.Date.valueOf(
                            from.toInstant().atZone(ctx.cfg().zone()).toLocalDate().withDayOfMonth(1)))));
                }
                sinceOf.put(f.input(), since);
            }
            List<Object> lost = r.latestTime() == null || foldsStand ? List.of()
                    : lostLatest(keysRows, inc, r, from, keys, keyed, sinceOf, now);
            for (Incremental.From f : r.inputs()) {
                Column since = sinceOf.get(f.input());
                if (!lost.isEmpty()) {
                    since = since.or(among(now.get(f.input()), keyed.get(f.input()), lost));
                }
                bounds.merge(f.input(), since, Column::and);
            }
            Column carry = foldsStand ? col(r.outputTime()).isNotNull() : col(r.outputTime()).lt(lit(from));
            if (!lost.isEmpty()) {
                carry = carry.and(not(inc.keyValue().cast("string").isin(lost.toArray())));
            }
            carried = Map.of(job.output(), keysRows.filter(carry));
            resumed = foldsStand ? "; resumed from the table's rows (no folded input changed)"
                    : "; resumed from " + from.toInstant();
            if (!lost.isEmpty()) {
                resumed += "; from all their rows, their latest ones gone: " + lost.stream().map(String::valueOf)
                        .sorted().collect(Collectors.joining(", "));
            }
        }
        // The rows before the resume point come out as the table holds them: only the later ones are written.
        DeltaTables.Since since = from != null && inc.resume().writesFromResumePoint()
                ? new DeltaTables.Since(inc.resume().outputTime(), from.toInstant()) : null;
        return new Scope("by_key", keys, inc.key(), keyed, bounds, entities, carried, since, "rebuilt " + keys.size()
                + " " + what + " values changed in " + String.join(", ", causes) + resumed);
    }

    /**
     * The keys whose stored latest input row ({@link Incremental.Resume#latestTime}) is at or after the resume point
     * {@code from} and that have no folded input row from then on: their rows from then on are gone, so their latest
     * values are among the rows before it, which only a read of all their rows finds.
     */
    private static List<Object> lostLatest(Dataset<Row> stored, Incremental inc, Incremental.Resume r, Timestamp from,
                                           Set<String> keys, Map<String, Column> keyed, Map<String, Column> sinceOf,
                                           Map<String, Dataset<Row>> now) {
        Dataset<Row> latestSince = stored.filter(col(r.latestTime()).geq(lit(from)))
                .select(inc.keyValue().cast("string").as("_key"));
        Dataset<Row> present = r.inputs().stream().map(f -> {
            Dataset<Row> rows = now.get(f.input()).filter(sinceOf.get(f.input()));
            return keysOf(rows.filter(among(rows, keyed.get(f.input()), keys)), keyed.get(f.input()));
        }).reduce(Dataset::union).orElseThrow();
        return latestSince.join(present, Using.columns("_key"), "left_anti").distinct().collectAsList().stream()
                .map(row -> (Object) row.getString(0)).toList();
    }

    /** More values bounded in time than this and a lookup drops the bounds (one literal list, not a tree of terms). */
    static final int MAX_BOUNDED_LOOKUPS = 500;

    /**
     * The output rows a lookup reaches: {@code column} one of the values ({@code _value}) with no time
     * ({@code _since} null), or equal to one with a time and {@code time} at or after it; null when none.
     */
    private static Column lookup(Column column, Column time, List<Row> hit) {
        List<Object> anyTime = new ArrayList<>();
        Column found = null;
        boolean bounded = time != null && hit.size() <= MAX_BOUNDED_LOOKUPS;
        for (Row r : hit) {
            if (!bounded || r.isNullAt(1)) {
                anyTime.add(r.get(0));
            } else {
                Column since = column.equalTo(lit(r.get(0))).and(time.geq(lit(r.getTimestamp(1))));
                found = found == null ? since : found.or(since);
            }
        }
        if (!anyTime.isEmpty()) {
            Column in = column.isin(anyTime.toArray());
            found = found == null ? in : found.or(in);
        }
        return found;
    }

    /** The earliest time of the changed rows, or null when one has none (its keys are then rebuilt whole). */
    private static Timestamp resumeFrom(Dataset<Row> changes) {
        Row r = changes.agg(min(col("_time")), count(when(col("_time").isNull(), 1))).first();
        return r.getLong(1) == 0 ? r.getTimestamp(0) : null;
    }

    private static Scope full(String why) {
        return new Scope("full", null, null, Map.of(), Map.of(), null, Map.of(), null, "full: " + why);
    }

    /** {@code inputs}, those read {@code through} an entity cut down to the entities in {@code hit}. */
    private static Map<String, Dataset<Row>> onlyOf(Map<String, Dataset<Row>> inputs, Set<String> through,
                                                    String column, Dataset<Row> hit) {
        Map<String, Dataset<Row>> out = new HashMap<>(inputs);
        through.forEach(in -> out.put(in, inputs.get(in).join(broadcast(hit), Using.columns(column), "left_semi")));
        return out;
    }

    /**
     * Whether a file not found is among the causes. Adaptive execution reports its failed stages as suppressed
     * exceptions of one "multiple failures" error, and Spark's causes can be circular, hence the walk with a set.
     */
    private static boolean causedByMissingFile(Throwable e) {
        Deque<Throwable> todo = new ArrayDeque<>(List.of(e));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof java.io.FileNotFoundException) {
                return true;
            }
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return false;
    }

    /** The days after {@code last} up to {@code asOf}, as a column {@code date}. */
    private static Dataset<Row> datesAfter(LocalDate last, LocalDate asOf) {
        return SparkSession.active().range(ChronoUnit.DAYS.between(last, asOf))
                .select(date_add(lit(java.sql.Date.valueOf(last.plusDays(1))), col("id").cast("int")).as("date"));
    }

    /** The distinct key values {@code keysOfRow} (a key, or an array of keys) gives over {@code rows}, as {@code _key}. */
    private static Dataset<Row> keysOf(Dataset<Row> rows, Column keysOfRow) {
        Dataset<Row> k = rows.select(keysOfRow.as("_key"));
        if (k.schema().fields()[0].dataType() instanceof ArrayType) {
            k = k.select(explode(col("_key")).as("_key"));
        }
        return k.select(col("_key").cast("string").as("_key"));
    }

    /**
     * The inputs a rebuild of these keys needs: keyed inputs cut down to the rows feeding the keys (and to their
     * rule's bound, which Delta can skip files by), lookups whole.
     */
    Map<String, Dataset<Row>> restrict(Map<String, Dataset<Row>> inputs) {
        if (keys == null) {
            return inputs;
        }
        Map<String, Dataset<Row>> out = new HashMap<>(inputs);
        keyedInputs.forEach((in, keysOfRow) -> {
            if (out.containsKey(in)) {
                Dataset<Row> rows = bounds.containsKey(in) ? out.get(in).filter(bounds.get(in)) : out.get(in);
                out.put(in, rows.filter(among(rows, keysOfRow, keys)));
            }
        });
        out.putAll(carried);
        return entities == null ? out : onlyOf(out, entities.inputs(), entities.column(), entities.feeding());
    }

    /** Whether a row of {@code rows} is one of {@code keys}, {@code keysOfRow} giving its key or array of keys. */
    private static Column among(Dataset<Row> rows, Column keysOfRow, Collection<?> keys) {
        DataType type = rows.select(keysOfRow).schema().fields()[0].dataType();
        // A date column against DATE literals, which Delta's file statistics skip by; cast to strings it would be
        // read whole.
        return type instanceof ArrayType
                ? arrays_overlap(keysOfRow.cast("array<string>"),
                        array(keys.stream().map(k -> lit(k)).toArray(Column[]::new)))
                : type instanceof DateType
                ? keysOfRow.isin(keys.stream().map(k -> java.sql.Date.valueOf(k.toString())).toArray())
                : keysOfRow.cast("string").isin(keys.toArray());
    }

    /**
     * The built rows to write: with a key scope, only rows of those keys (others are not being replaced), and of a
     * resumed rebuild that writes from its resume point, only the rows from then on ({@link #since}).
     */
    Dataset<Row> keep(Dataset<Row> rows) {
        Dataset<Row> kept = keys == null ? rows : ofKeys(rows, key, keys);
        return since == null ? kept : kept.filter(since.filter());
    }

    /** The rows of a table (its key columns {@code key}) whose key is one of {@code keys}. */
    private static Dataset<Row> ofKeys(Dataset<Row> rows, List<String> key, Set<String> keys) {
        return rows.filter(org.apache.spark.sql.functions.expr(DeltaTables.keyExpression(key, ""))
                .cast("string").isin(keys.toArray()));
    }
}
