package com.tobwh.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a nightly run limits a job to what changed since the job last succeeded (its inputs' Delta versions are
 * kept in ops.run_log). Three kinds:
 * <ul>
 *   <li>{@link #whenInputsChange()}: rebuild the whole table when an input has a new version, skip it otherwise
 *       (small tables, whose rebuild costs less than working out what changed);</li>
 *   <li>{@link #always()}: rebuild every run, because the rows depend on the run date (SLA clocks, open journeys,
 *       the month in progress);</li>
 *   <li>{@link #byKey(String)}: rebuild only the rows of the {@code key} values the inputs' changes touch, from
 *       the input rows of those keys; the output's rows of other keys stay as they are.</li>
 * </ul>
 */
public record Incremental(Kind kind, String key, Map<String, Rule> rules) {
    /** What kind of incremental rebuild a job supports. */
    public enum Kind { WHEN_INPUTS_CHANGE, ALWAYS, BY_KEY }

    public static Incremental whenInputsChange() {
        return new Incremental(Kind.WHEN_INPUTS_CHANGE, null, Map.of());
    }

    public static Incremental always() {
        return new Incremental(Kind.ALWAYS, null, Map.of());
    }

    /** Rebuilds only the rows whose {@code key} the inputs' changes reach; add one rule per input with {@link #with}. */
    public static Incremental byKey(String key) {
        return new Incremental(Kind.BY_KEY, key, Map.of());
    }

    /** How changes of {@code input} reach this job's keys (and which of its rows the rebuild needs). */
    public Incremental with(String input, Rule rule) {
        Map<String, Rule> r = new LinkedHashMap<>(rules);
        r.put(input, rule);
        return new Incremental(kind, key, Map.copyOf(r));
    }

    /** How one input's changed rows map to the output's keys. */
    public sealed interface Rule permits Rule.Column, Rule.ViaOutput, Rule.Ignore, Rule.Full {
        /**
         * The input's {@code column} holds the output's key: changed rows give their keys, and the rebuild reads
         * only the input rows of those keys.
         */
        record Column(String column) implements Rule {
        }

        /**
         * A lookup: the output rows whose {@code outputColumn} equals a changed input row's {@code inputColumn} are
         * rebuilt; the rebuild reads the whole input.
         */
        record ViaOutput(String outputColumn, String inputColumn) implements Rule {
        }

        /** The input's changes cannot change any row (read for gates only, e.g. dim_date for its foreign keys). */
        record Ignore() implements Rule {
        }

        /** Any change of the input changes every row (e.g. the channel rules): rebuild the whole table. */
        record Full() implements Rule {
        }

        static Rule column(String column) {
            return new Column(column);
        }

        static Rule viaOutput(String outputColumn, String inputColumn) {
            return new ViaOutput(outputColumn, inputColumn);
        }

        static Rule ignore() {
            return new Ignore();
        }

        static Rule full() {
            return new Full();
        }
    }
}
