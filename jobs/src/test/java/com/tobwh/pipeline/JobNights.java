package com.tobwh.pipeline;

import com.tobwh.SparkTestSession;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A job's nights in a scope test: last night's whole build, then each night planned and replaced as the pipeline
 * does; and the stand-in jobs and hand-written rows of the tables a test writes itself.
 */
final class JobNights {
    private final Job job;
    private final DeltaTables tables;
    private final RunContext ctx;
    private final LocalDate last;
    private Map<String, Long> before;

    /** The nights of {@code job} in {@code tables}, run as {@code ctx}, the last one dated {@code last}. */
    JobNights(Job job, DeltaTables tables, RunContext ctx, LocalDate last) {
        this.job = job;
        this.tables = tables;
        this.ctx = ctx;
        this.last = last;
    }

    /**
     * The nights of {@code job} in a scratch warehouse named {@code name}, tonight dated the day after {@code last}.
     */
    static JobNights scratch(String name, Job job, LocalDate last) {
        LocalDate tonight = last.plusDays(1);
        return new JobNights(job, new DeltaTables(SparkTestSession.get(),
                SparkTestSession.testConfig(SparkTestSession.scratch(name).resolve("warehouse"))),
                new RunContext(name, tonight, tonight,
                        SparkTestSession.testConfig(SparkTestSession.scratch(name + "-cfg"))), last);
    }

    DeltaTables tables() {
        return tables;
    }

    RunContext ctx() {
        return ctx;
    }

    /** Last night: the table built whole from the inputs at {@code versions}, which the plans take as consumed. */
    void lastNight(Map<String, Long> versions) {
        before = versions;
        tables.overwrite(job.output(), job.build(inputs(versions), ctx).rows(), job.partitionBy());
    }

    /** The version of {@code input} last night read. */
    long before(String input) {
        return before.get(input);
    }

    Scope plan(Map<String, Long> now) {
        return Scope.plan(job, ctx, tables, new JobState(before, last), now, inputs(now));
    }

    /** The scope's rebuilt rows, written as the pipeline writes them. */
    Dataset<Row> replace(Scope scope, Map<String, Long> now) {
        Dataset<Row> rows = scope.keep(job.build(scope.restrict(inputs(now)), ctx).rows()).cache();
        tables.replaceKeys(job.output(), rows, scope.key(), scope.keys(), job.partitionBy());
        return rows;
    }

    /** The job's rows built whole from the inputs at {@code now}: what each night's table must equal. */
    Dataset<Row> rebuiltWhole(Map<String, Long> now) {
        return job.build(inputs(now), ctx).rows();
    }

    /** The inputs at {@code versions}. */
    Map<String, Dataset<Row>> inputs(Map<String, Long> versions) {
        return versions.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> tables.readAt(e.getKey(), e.getValue())));
    }

    /** The first of the two nights {@link #pipelineNights} runs; the second is the day after. */
    static final LocalDate LAST_NIGHT = LocalDate.parse("2026-03-01");

    /**
     * Two pipeline runs of {@code job}'s layer in a scratch warehouse named {@code name}: run "day-1" on
     * {@link #LAST_NIGHT} after {@code lastNight} writes the {@code inputs} (tables the test writes itself), and
     * run "day-2" the day after, once {@code tonight} has changed them.
     */
    static DeltaTables pipelineNights(String name, Job job, List<String> inputs, Consumer<DeltaTables> lastNight,
                                      Consumer<DeltaTables> tonight) {
        com.tobwh.config.WarehouseConfig cfg = SparkTestSession.testConfig(SparkTestSession.scratch(name)
                .resolve("warehouse"));
        DeltaTables tables = new DeltaTables(SparkTestSession.get(), cfg);
        JobGraph graph = new JobGraph(Stream.concat(Stream.of(job), inputs.stream().map(JobNights::writtenByTest))
                .toList()).layer(job.output().substring(0, job.output().indexOf('.')));
        lastNight.accept(tables);
        new Pipeline(SparkTestSession.get(), tables, graph).run(new RunContext("day-1", LAST_NIGHT, LAST_NIGHT,
                cfg));
        tonight.accept(tables);
        LocalDate day = LAST_NIGHT.plusDays(1);
        new Pipeline(SparkTestSession.get(), tables, graph).run(new RunContext("day-2", day, day, cfg));
        return tables;
    }

    /** The run log's row of {@code job} in the second run of {@link #pipelineNights}. */
    static Row tonightsLog(DeltaTables tables, Job job) {
        return tables.read(Pipeline.RUN_LOG).filter("run_id = 'day-2' AND job = '" + job.output() + "'").first();
    }

    /** A job of a graph that the test's run leaves out (a layer it does not run): the test writes its table. */
    static Job writtenByTest(String table) {
        return new Job() {
            @Override
            public String output() {
                return table;
            }

            @Override
            public List<String> inputs() {
                return List.of();
            }

            @Override
            public Built build(Map<String, Dataset<Row>> in, RunContext ctx) {
                throw new UnsupportedOperationException(table + " is written by the test");
            }

            @Override
            public String grain() {
                return "written by the test";
            }
        };
    }

    /** A table of string columns from space-separated lines, the first naming the columns. */
    static Dataset<Row> stringRows(String header, String... lines) {
        String[] names = header.split(" ");
        return SparkTestSession.get().createDataset(List.of(lines), Encoders.STRING()).toDF()
                .selectExpr(IntStream.range(0, names.length).mapToObj(i -> "split(value, ' ')[" + i + "] AS "
                        + names[i]).toArray(String[]::new));
    }
}
