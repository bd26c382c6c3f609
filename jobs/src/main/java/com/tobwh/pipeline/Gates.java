package com.tobwh.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/** Data-quality gates run inside the pipeline; a failure names the table, the check and sample keys. */
public final class Gates {
    private static final int SAMPLE = 5;

    private Gates() {
    }

    /** Thrown when a gate fails: the run stops before the table is written. */
    public static final class GateFailure extends RuntimeException {
        public GateFailure(String message) {
            super(message);
        }
    }

    /** What the gates measured on a table that passed them: its row count and the run-summary notes. */
    public record Result(long rows, List<String> notes) {
    }

    /**
     * Runs every gate of the job on its output; {@code inputs} are the job's inputs, where foreign keys and
     * reconciliations look. Row checks, counts, unknown members and metrics share one pass over the output.
     */
    public static Result check(Job job, Dataset<Row> rows, Map<String, Dataset<Row>> inputs) {
        return evaluate(job, rows, inputs);
    }

    /** The gates that need only the output: documented schema, primary key, row checks. */
    public static void check(Job job, Dataset<Row> rows) {
        evaluate(job, rows, null);
    }

    private static Result evaluate(Job job, Dataset<Row> rows, Map<String, Dataset<Row>> inputs) {
        List<String> drift = TableSchemas.drift(job.output(), rows.schema());
        if (!drift.isEmpty()) {
            throw new GateFailure(job.output() + ": schema differs from schemas/tables/" + job.output()
                    + ".schema.json: " + String.join("; ", drift));
        }
        checkPrimaryKey(job, rows);
        for (Job.GroupCheck g : job.groupChecks()) {
            Column[] keys = g.groupBy().stream().map(k -> col(k)).toArray(Column[]::new);
            List<Row> bad = rows.groupBy(keys).agg(g.mustHold().as("_holds"))
                    .filter(col("_holds").isNull().or(not(col("_holds")))).limit(SAMPLE).collectAsList();
            if (!bad.isEmpty()) {
                throw new GateFailure(job.output() + ": check '" + g.name() + "' fails for " + g.groupBy() + " e.g. "
                        + show(bad));
            }
        }
        boolean withInputs = inputs != null;
        List<Job.ForeignKey> fks = withInputs ? job.foreignKeys() : List.of();
        List<Job.Reconciliation> recs = withInputs ? job.reconciliations() : List.of();
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)));
        // sum() over an empty table is null: counts start from 0.
        job.checks().forEach(c -> aggs.add(coalesce(sum(when(c.mustHold().isNull().or(not(c.mustHold())), 1L)
                .otherwise(0L)), lit(0L))));
        recs.forEach(r -> aggs.add(sum(r.outputMeasure())));
        fks.forEach(fk -> {
            Column known = when(col(fk.column()).notEqual(-1L), col(fk.column()));
            aggs.add(coalesce(sum(when(col(fk.column()).equalTo(-1L), 1L).otherwise(0L)), lit(0L)));
            aggs.add(min(known));
            aggs.add(max(known));
        });
        job.metrics().forEach(m -> aggs.add(m.aggregate()));
        Row v = rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
        int i = 1;
        for (Job.Check c : job.checks()) {
            if (v.getLong(i++) > 0) {
                List<Row> bad = rows.filter(c.mustHold().isNull().or(not(c.mustHold()))).limit(SAMPLE).collectAsList();
                throw new GateFailure(job.output() + ": check '" + c.name() + "' fails, e.g. " + show(bad));
            }
        }
        Map<Job.Reconciliation, Object> inputTotals = inputTotals(recs, inputs);
        for (Job.Reconciliation r : recs) {
            Object expected = inputTotals.get(r);
            Object actual = v.get(i++);
            if (!sameTotal(expected, actual)) {
                throw new GateFailure(job.output() + ": reconciliation '" + r.name() + "' fails: " + r.input() + " has "
                        + expected + ", " + job.output() + " has " + actual);
            }
        }
        List<String> notes = new ArrayList<>();
        for (Job.ForeignKey fk : fks) {
            long unknown = v.getLong(i++);
            checkResolves(job, rows, fk, inputs.get(fk.dimension()), v.get(i++), v.get(i++));
            notes.add(fk.column() + " = unknown member (-1): " + unknown);
        }
        for (Job.Metric m : job.metrics()) {
            notes.add(m.name() + ": " + (v.isNullAt(i) ? 0 : v.get(i)));
            i++;
        }
        return new Result(v.getLong(0), notes);
    }

    /** Each reconciliation's total over its input: one pass per input, however many reconcile against it. */
    private static Map<Job.Reconciliation, Object> inputTotals(List<Job.Reconciliation> recs,
                                                               Map<String, Dataset<Row>> inputs) {
        Map<Job.Reconciliation, Object> totals = new IdentityHashMap<>();
        recs.stream().collect(Collectors.groupingBy(Job.Reconciliation::input, LinkedHashMap::new,
                Collectors.toList())).forEach((input, same) -> {
                    Column[] sums = same.stream().map(r -> sum(r.inputMeasure())).toArray(Column[]::new);
                    Row t = inputs.get(input).agg(sums[0], Arrays.copyOfRange(sums, 1, sums.length)).first();
                    for (int k = 0; k < same.size(); k++) {
                        totals.put(same.get(k), t.get(k));
                    }
                });
        return totals;
    }

    /**
     * Fails when a key of the output, other than -1, is not in the dimension. Only the dimension's keys between the
     * output's least and greatest ({@code lowest}, {@code highest}; null when it has none) are read: a night's
     * facts span a few days of the 2000–2050 calendar, and Delta's file statistics skip the other years.
     */
    private static void checkResolves(Job job, Dataset<Row> rows, Job.ForeignKey fk, Dataset<Row> dim,
                                      Object lowest, Object highest) {
        if (dim == null) {
            throw new IllegalStateException(job.output() + ": foreign key " + fk.column() + " refers to "
                    + fk.dimension() + ", which is not an input of the job");
        }
        if (lowest == null) {
            return;
        }
        Dataset<Row> inRange = dim.filter(col(fk.dimensionColumn()).between(lit(lowest), lit(highest)));
        List<Row> dangling = rows.select(col(fk.column())).filter(col(fk.column()).notEqual(lit(-1L))).distinct()
                .join(inRange.select(col(fk.dimensionColumn()).as(fk.column())), Using.columns(fk.column()),
                        "left_anti")
                .limit(SAMPLE).collectAsList();
        if (!dangling.isEmpty()) {
            throw new GateFailure(job.output() + ": foreign key " + fk.column() + " does not resolve in "
                    + fk.dimension() + ", e.g. " + show(dangling));
        }
    }

    private static void checkPrimaryKey(Job job, Dataset<Row> rows) {
        List<String> pk = job.primaryKey();
        if (!pk.isEmpty()) {
            Column[] keys = pk.stream().map(k -> col(k)).toArray(Column[]::new);
            Column anyNull = pk.stream().map(k -> col(k).isNull()).reduce(Column::or).orElseThrow();
            // One aggregation finds both kinds of bad key: null keys group together and show up as a row too.
            List<Row> bad = rows.groupBy(keys).agg(count(lit(1)).as("n"))
                    .filter(col("n").gt(1).or(anyNull)).limit(SAMPLE).collectAsList();
            List<Row> nulls = bad.stream().filter(r -> pk.stream().anyMatch(k -> r.isNullAt(r.fieldIndex(k)))).toList();
            if (!nulls.isEmpty()) {
                throw new GateFailure(job.output() + ": primary key " + pk + " has nulls, e.g. " + show(nulls));
            }
            if (!bad.isEmpty()) {
                throw new GateFailure(job.output() + ": primary key " + pk + " is not unique, e.g. " + show(bad));
            }
        }
    }

    private static boolean sameTotal(Object a, Object b) {
        if (a == null || b == null) {
            return a == null && b == null || a == null && isZero(b) || b == null && isZero(a);
        }
        if (a instanceof java.math.BigDecimal x && b instanceof java.math.BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        return Math.abs(x - y) <= 1e-6 * Math.max(1.0, Math.abs(x));
    }

    private static boolean isZero(Object o) {
        return ((Number) o).doubleValue() == 0.0;
    }

    /** Per file: rows in = rows loaded + rows rejected, or the run stops. */
    public static void reconcile(List<Row> perFile) {
        List<String> broken = new ArrayList<>();
        for (Row r : perFile) {
            long in = r.<Long>getAs("rows_in");
            long loaded = r.<Long>getAs("rows_loaded");
            long rejected = r.<Long>getAs("rows_rejected");
            if (in != loaded + rejected) {
                broken.add(r.<String>getAs("file") + " (in " + in + ", loaded " + loaded + ", rejected " + rejected + ")");
            }
        }
        if (!broken.isEmpty()) {
            throw new GateFailure("bronze: rows in != loaded + rejected for " + broken.size() + " file(s), e.g. "
                    + String.join("; ", broken.subList(0, Math.min(SAMPLE, broken.size()))));
        }
    }

    private static String show(List<Row> rows) {
        return rows.stream().map(Row::toString).collect(Collectors.joining(", "));
    }
}
