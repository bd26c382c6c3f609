package com.tobwh.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

/** One job: one output table, built by one pure function of its declared input tables. */
public interface Job {
    /** The table it writes, {@code layer.name}. */
    String output();

    /** Tables it reads ({@code layer.name}), or {@code landing.<source>} for raw landing lines. */
    List<String> inputs();

    /** The transformation: no reads or writes inside, so tests call it with hand-made DataFrames. */
    Built build(Map<String, Dataset<Row>> inputs, RunContext ctx);

    /** One line on what a row is (the grain), shown by {@code plan}. */
    String grain();

    /** Columns that identify a row; the run fails when they are null or repeated. */
    default List<String> primaryKey() {
        return List.of();
    }

    default List<String> partitionBy() {
        return List.of();
    }

    /**
     * Columns {@code maintain} Z-orders the table's files by (OPTIMIZE ZORDER BY): the ones readers filter or join on,
     * so min/max file statistics let them skip files. Never a partition column; empty means plain compaction.
     */
    default List<String> zorderBy() {
        return List.of();
    }

    /** When set, the job replaces only the run's dates in this column instead of the whole table. */
    default String replaceDateColumn() {
        return null;
    }

    /**
     * For a job without input tables: the configuration its rows are built from, as text ("" when only its code
     * builds them). A night skips the job while this and the build of the code are the ones it last ran with; null
     * (the default) rebuilds it every night and writes only when its rows differ from the table's.
     */
    default String configuration(RunContext ctx) {
        return null;
    }

    /** How a nightly run limits this job to what changed (a full refresh rebuilds everything regardless). */
    default Incremental incremental() {
        return Incremental.whenInputsChange();
    }

    /** Row-level gates: each must hold on every output row. */
    default List<Check> checks() {
        return List.of();
    }

    /** Conditions on groups of output rows (e.g. the credits of each conversion add up to 1). */
    default List<GroupCheck> groupChecks() {
        return List.of();
    }

    /** Foreign keys: each must be found in its dimension (an input of the job) or be the unknown member -1. */
    default List<ForeignKey> foreignKeys() {
        return List.of();
    }

    /** Totals that must be equal in an input table and in the output (e.g. revenue staged = revenue in the fact). */
    default List<Reconciliation> reconciliations() {
        return List.of();
    }

    /** Counts the run summary reports for this table (e.g. sessions no channel rule matched). */
    default List<Metric> metrics() {
        return List.of();
    }

    /** A named condition every output row must satisfy. */
    record Check(String name, Column mustHold) {
    }

    /** Per group of {@code groupBy} columns, the aggregate condition {@code mustHold} (e.g. abs(sum(x) - 1) < 1e-9). */
    record GroupCheck(String name, List<String> groupBy, Column mustHold) {
    }

    /** {@code column} of the output refers to {@code dimension}'s {@code dimensionColumn}. */
    record ForeignKey(String column, String dimension, String dimensionColumn) {
        /** A reference to the dimension's column of the same name. */
        public ForeignKey(String column, String dimension) {
            this(column, dimension, column);
        }
    }

    /** {@code sum(inputMeasure)} over {@code input} must equal {@code sum(outputMeasure)} over the output. */
    record Reconciliation(String name, String input, Column inputMeasure, Column outputMeasure) {
    }

    /** A named aggregate over the output rows, shown in the run summary and kept in ops.run_log. */
    record Metric(String name, Column aggregate) {
    }
}
