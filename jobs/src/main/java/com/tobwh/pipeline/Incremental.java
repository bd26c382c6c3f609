package com.tobwh.pipeline;

import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

/**
 * How a nightly run limits a job to what changed since the job last succeeded (its inputs' Delta versions are
 * kept in ops.run_log). Three kinds:
 * <ul>
 *   <li>{@link #whenInputsChange()}: rebuild the whole table when an input has a new version, skip it otherwise
 *       (small tables, whose rebuild costs less than working out what changed);</li>
 *   <li>{@link #always()}: rebuild every run, because the rows depend on the run date (SLA clocks, open journeys,
 *       the month in progress);</li>
 *   <li>{@link #byKey(String...)}: rebuild only the rows of the key values the inputs' changes touch (and, with
 *       {@link #onRunDates}, the ones the run date moving on reaches), from the input rows of those keys; the
 *       output's rows of other keys stay as they are.</li>
 * </ul>
 */
public record Incremental(Kind kind, List<String> key, Map<String, Rule> rules,
                          Function<RunContext, Column> runDateKeys, Entity entity, Column movingRows,
                          Resume resume, Map<String, List<String>> reads) {
    /** What kind of incremental rebuild a job supports. */
    public enum Kind { WHEN_INPUTS_CHANGE, ALWAYS, BY_KEY }

    public static Incremental whenInputsChange() {
        return new Incremental(Kind.WHEN_INPUTS_CHANGE, null, Map.of(), null, null, null, null, Map.of());
    }

    public static Incremental always() {
        return new Incremental(Kind.ALWAYS, null, Map.of(), null, null, null, null, Map.of());
    }

    /**
     * Rebuilds only the rows whose key (one column, or several read as one) the inputs' changes reach; add one rule
     * per input with {@link #with}.
     */
    public static Incremental byKey(String... key) {
        return new Incremental(Kind.BY_KEY, List.of(key), Map.of(), null, null, null, null, Map.of());
    }

    /**
     * Rows that depend on the run date (the month in progress, periods to date): when a run's date is later than
     * the one the job last ran for, the dates in between reach the keys {@code keys} gives, an expression over a
     * date column {@code date} (as in {@link Rule#keys}). A run dated earlier than the last one rebuilds whole.
     */
    public Incremental onRunDates(Function<RunContext, Column> keys) {
        return new Incremental(kind, key, rules, keys, entity, movingRows, resume, reads);
    }

    /**
     * Rows of the output whose values move with the run date (an open ticket's SLA clock, which runs to the end of
     * the run's date): when a run's date is later than the one the job last ran for, the keys of the output's rows
     * matching {@code rows} (a condition over its columns, as the last run wrote them) are rebuilt. A row must
     * match for as long as a later run date could change it.
     */
    public Incremental movingWithRunDate(Column rows) {
        return new Incremental(kind, key, rules, runDateKeys, entity, rows, resume, reads);
    }

    /**
     * Keys reached through an entity that the inputs' rows name in {@code entity.column()} (an account): inputs with
     * {@link Rule#entity()} give the entities of their changed rows, {@code entity.onRunDates()} the ones the run
     * date moving on reaches, and each of those entities' keys before and after the change are rebuilt, from the
     * rows of every entity whose key is one of them.
     */
    public Incremental throughEntity(Entity entity) {
        return new Incremental(kind, key, rules, runDateKeys, entity, movingRows, resume, reads);
    }

    /**
     * The job's rows of a key are a fold over the key's rows of the {@code resume} inputs in time order, each output
     * row starting at one input row's time (a device's identity intervals, each from the event that changed its
     * user; an account's touches, each numbered after the ones before it): input rows changed at or after a time
     * leave the output's rows starting before it as they were, except for what those rows say about the rows after
     * them. A rebuild by key then reads the inputs from the earliest changed time on, and is given the output's rows
     * of its keys starting before that time under the output's own name, to resume from (see {@link Resume}). A
     * full build gets no such rows and folds the whole input.
     */
    public Incremental resuming(Resume resume) {
        return new Incremental(kind, key, rules, runDateKeys, entity, movingRows, resume, reads);
    }

    /**
     * See {@link #resuming}. Applies when every changed input (but those whose changes are ignored) is one of
     * {@code inputs} or {@code alongside}, and the run date did not reach other keys; the rules of {@code inputs}
     * must be {@link Rule.Keys}.
     *
     * @param inputs     the inputs folded over, with their time columns
     * @param outputTime the output's column holding the time of the input row each output row starts at
     * @param alongside  inputs outside the fold whose rows of a key the build reads whole (a contact's own columns
     *                   beside its first touch, which is the fold): their changes rebuild their keys from the same
     *                   resume point, or, when no folded input changed, from the output's rows of those keys alone
     *                   (every row with an {@code outputTime}) and none of the folded inputs' rows
     * @param writesFromResumePoint whether the output's rows starting before the resume point come out exactly as
     *                   the table holds them (no row says anything of the rows after it), so that a resumed rebuild
     *                   writes only its rows from the resume point on: the replace then reads and rewrites only the
     *                   files holding those, not every file holding the keys' earlier rows
     * @param latestTime the output's column holding the time of the latest input row of the key, whose values the
     *                   row also keeps (a campaign's last day and the name it had then), or null. The input rows from
     *                   the resume point on are all later than those before it, so they alone give the latest
     *                   values of a key that has any; a key whose stored latest time is at or after the resume point
     *                   and that has no input row from then on lost those rows (deleted, or refused), and is
     *                   rebuilt from all its input rows rather than from the table's row
     */
    public record Resume(List<From> inputs, String outputTime, List<String> alongside,
                         boolean writesFromResumePoint, String latestTime) {
        public Resume(List<From> inputs, String outputTime) {
            this(inputs, outputTime, List.of(), false, null);
        }

        /** One input folded over, as {@link #Resume(List, String)} takes them. */
        public Resume(String input, String inputTime, String inputMonth, String outputTime) {
            this(List.of(new From(input, inputTime, inputMonth)), outputTime);
        }

        /** The {@link From} of {@code input}, or null when it is not folded over. */
        public From of(String input) {
            return inputs.stream().filter(f -> f.input().equals(input)).findFirst().orElse(null);
        }

        /** This resume with {@code inputs} read alongside the fold (see {@link #alongside()}). */
        public Resume alongside(String... inputs) {
            return new Resume(this.inputs, outputTime, List.of(inputs), writesFromResumePoint, latestTime);
        }

        /** This resume, writing only the rows from the resume point on (see {@link #writesFromResumePoint()}). */
        public Resume writingFromResumePoint() {
            return new Resume(inputs, outputTime, alongside, true, latestTime);
        }

        /** This resume, the rows also keeping their key's latest values (see {@link #latestTime()}). */
        public Resume keepingLatest(String latestTime) {
            return new Resume(inputs, outputTime, alongside, writesFromResumePoint, latestTime);
        }
    }

    /**
     * An input a rebuild resumes over.
     *
     * @param input the input
     * @param time  its time column (the earliest changed row's sets the resume point; when a changed row has none,
     *              the night does not resume and rebuilds its keys from all their input rows)
     * @param month its month partition column (a reporting-zone month), pruned to the resume point's month and
     *              later, or null
     */
    public record From(String input, String time, String month) {
    }

    /** The key as one string value, as {@link Scope} collects it and {@link DeltaTables#replaceKeys} matches it. */
    public Column keyValue() {
        return expr(DeltaTables.keyExpression(key, ""));
    }

    /** How changes of {@code input} reach this job's keys (and which of its rows the rebuild needs). */
    public Incremental with(String input, Rule rule) {
        Map<String, Rule> r = new LinkedHashMap<>(rules);
        r.put(input, rule);
        return new Incremental(kind, key, Map.copyOf(r), runDateKeys, entity, movingRows, resume, reads);
    }

    /**
     * The job reads only {@code columns} of {@code input}: a change to its other columns changes none of the job's
     * rows, so the input's changes are netted over these columns alone (a contact's new title reaches no session). The
     * columns must include every one the input's rule reads.
     */
    public Incremental reading(String input, String... columns) {
        Map<String, List<String>> r = new LinkedHashMap<>(reads);
        r.put(input, List.of(columns));
        return new Incremental(kind, key, rules, runDateKeys, entity, movingRows, resume, Map.copyOf(r));
    }

    /**
     * What a key depends on when no single input row names it: an entity (an account) whose rows together decide
     * which key it feeds (its cohort, from its first paid order).
     *
     * @param column     the entity's column, in every input with a {@link Rule#entity()} rule
     * @param keysOf     the key each entity feeds, from the inputs as of a date: columns {@code column} and
     *                   {@code _key} (as {@link #keyValue()} writes it)
     * @param onRunDates the entities (column {@code column}) whose rows change when the run date moves from the
     *                   first date to the second, or null when every key may change
     */
    public record Entity(String column, KeysOf keysOf, ReachedByDates onRunDates) {
    }

    /** See {@link Entity#keysOf()}. */
    @FunctionalInterface
    public interface KeysOf {
        Dataset<Row> keys(Map<String, Dataset<Row>> inputs, LocalDate asOf);
    }

    /** See {@link Entity#onRunDates()}. */
    @FunctionalInterface
    public interface ReachedByDates {
        Dataset<Row> entities(Map<String, Dataset<Row>> inputs, LocalDate lastAsOf, LocalDate asOf);
    }

    /** How one input's changed rows map to the output's keys. */
    public sealed interface Rule
            permits Rule.Keys, Rule.ViaOutput, Rule.ViaInput, Rule.ViaEntity, Rule.Ignore, Rule.Full {
        /**
         * The output keys an input row feeds, as an expression over the input's columns: one key value (as
         * {@link #keyValue()} writes it), an array of them, or null for none. It must name every key the row feeds:
         * changed rows give the keys to rebuild, and the rebuild reads only the input rows that feed those keys.
         * The function may return null for "every row may change" (e.g. under a setting that fits one model on all
         * rows).
         *
         * <p>{@code bound}, when not null, gives for the keys being rebuilt a condition over the input's columns that
         * every row feeding them meets, in a form Delta's file statistics can skip files by (a range over a column),
         * which the exact test of {@code keys} seldom is.
         */
        record Keys(Function<RunContext, Column> keys, BiFunction<RunContext, Collection<String>, Column> bound)
                implements Rule {
            Keys(Function<RunContext, Column> keys) {
                this(keys, null);
            }
        }

        /**
         * A lookup: the output rows whose {@code outputColumn} equals a changed input row's {@code inputColumn} are
         * rebuilt; the rebuild reads the whole input.
         *
         * <p>{@code since}, when not null, narrows it in time: given the input's changed rows, it returns per
         * {@code inputColumn} value ({@code _value}) the earliest time its changes can reach ({@code _since}, null
         * for any time), and only the rows whose {@code outputTime} (an expression over the output's columns) is at
         * or after it are rebuilt (a new account version reaches the facts from its start, not the account's
         * earlier ones).
         */
        record ViaOutput(String outputColumn, String inputColumn, Function<Dataset<Row>, Dataset<Row>> since,
                         Column outputTime) implements Rule {
            ViaOutput(String outputColumn, String inputColumn) {
                this(outputColumn, inputColumn, null, null);
            }
        }

        /**
         * A lookup into another input: the keys (by that input's {@link Keys} rule) of its rows whose {@code value}
         * (an expression over its columns) equals a changed row's {@code changedColumn} are rebuilt; the rebuild
         * reads this input whole. Unlike {@link ViaOutput}, it also reaches rows the job refused last time (an order
         * without an FX rate, until the rate arrives), which are in its inputs but not in its output.
         */
        record ViaInput(String input, Column value, String changedColumn) implements Rule {
        }

        /**
         * The input's changed rows name entities (see {@link Incremental#throughEntity}); the rebuild reads the rows
         * of the entities feeding the keys.
         */
        record ViaEntity() implements Rule {
        }

        /** The input's changes cannot change any row (read for gates only, e.g. dim_date for its foreign keys). */
        record Ignore() implements Rule {
        }

        /** Any change of the input changes every row (e.g. the channel rules): rebuild the whole table. */
        record Full() implements Rule {
        }

        /** The input's {@code column} holds the output's (single-column) key. */
        static Rule column(String column) {
            return new Keys(ctx -> col(column));
        }

        /**
         * The input's {@code columns} hold the output's key columns, in the key's order (the names may differ):
         * their values read as one key, as {@link #keyValue()} reads the output's.
         */
        static Rule columns(String... columns) {
            return new Keys(ctx -> expr(DeltaTables.keyExpression(List.of(columns), "")));
        }

        /**
         * The output's key is (partition, id): a date partition column (a month) and a row id, both columns of the
         * input under those names. A rebuild reads only the input's partitions that its keys name, so a night
         * whose changed rows sit in a few months reads those months, not the whole history (a key made of the id
         * alone could be anywhere). The output must be partitioned by the same column, which
         * {@link DeltaTables#replaceKeys} then prunes by too.
         */
        static Rule inPartition(String partition, String id) {
            return new Keys(ctx -> expr(DeltaTables.keyExpression(List.of(partition, id), "")),
                    (ctx, keys) -> col(partition).isin(DeltaTables.partitionsOf(keys).stream()
                            .map(java.sql.Date::valueOf).toArray()));
        }

        /**
         * The output's key is a date, the reporting-time-zone day of the input's {@code timestamp} column. A rebuild
         * reads only the input's rows within those days (consecutive days as one range, from the first one's midnight
         * to the next day's after the last): files whose timestamps lie elsewhere (other delivery days of a bronze
         * table) are skipped by their statistics.
         */
        static Rule dayOf(String timestamp) {
            return new Keys(ctx -> to_date(col(timestamp)), (ctx, keys) -> {
                ZoneId zone = ctx.cfg().zone();
                Column within = null;
                for (LocalDate[] run : consecutive(keys.stream().map(LocalDate::parse).sorted().toList())) {
                    Column range = col(timestamp).geq(lit(Timestamp.from(run[0].atStartOfDay(zone).toInstant())))
                            .and(col(timestamp).lt(lit(Timestamp.from(run[1].plusDays(1).atStartOfDay(zone)
                                    .toInstant()))));
                    within = within == null ? range : within.or(range);
                }
                return within;
            });
        }

        /** Sorted days as runs of consecutive days, each {first, last}. */
        private static List<LocalDate[]> consecutive(List<LocalDate> days) {
            List<LocalDate[]> runs = new java.util.ArrayList<>();
            for (LocalDate d : days) {
                LocalDate[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (last != null && !d.isAfter(last[1].plusDays(1))) {
                    last[1] = d;
                } else {
                    runs.add(new LocalDate[]{d, d});
                }
            }
            return runs;
        }

        /** See {@link Keys}. */
        static Rule keys(Function<RunContext, Column> keys) {
            return new Keys(keys);
        }

        /** See {@link Keys}, with its {@code bound}. */
        static Rule keys(Function<RunContext, Column> keys,
                         BiFunction<RunContext, Collection<String>, Column> bound) {
            return new Keys(keys, bound);
        }

        /**
         * A bound for a {@link Keys} rule whose keys lead with a month (the key itself, or its first column): the
         * input's month partition column {@code month} is one of the keys' months, so a rebuild reads only those
         * partitions (the exact test of the keys, an expression over the columns, prunes none).
         */
        static BiFunction<RunContext, Collection<String>, Column> inKeyMonths(String month) {
            return (ctx, keys) -> col(month).isin(keys.stream()
                    .map(k -> java.sql.Date.valueOf(k.contains("|") ? k.substring(0, k.indexOf('|')) : k))
                    .distinct().toArray());
        }

        static Rule viaOutput(String outputColumn, String inputColumn) {
            return new ViaOutput(outputColumn, inputColumn);
        }

        /** See {@link ViaOutput}, with its {@code since} and {@code outputTime}. */
        static Rule viaOutput(String outputColumn, String inputColumn, Function<Dataset<Row>, Dataset<Row>> since,
                              Column outputTime) {
            return new ViaOutput(outputColumn, inputColumn, since, outputTime);
        }

        static Rule viaInput(String input, Column value, String changedColumn) {
            return new ViaInput(input, value, changedColumn);
        }

        static Rule entity() {
            return new ViaEntity();
        }

        static Rule ignore() {
            return new Ignore();
        }

        static Rule full() {
            return new Full();
        }
    }
}
