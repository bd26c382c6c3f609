package com.tobwh.pipeline;

import com.tobwh.bronze.BronzeJob;
import com.tobwh.bronze.BronzeValidation;
import com.tobwh.bronze.LandingSchemas;
import com.tobwh.io.DeltaTables;
import com.tobwh.io.LandingCheck;
import com.tobwh.io.RunLock;
import com.tobwh.io.LandingFile;
import com.tobwh.io.LandingReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/** Runs the job graph for a date range: landing → bronze (with rejects and reconciliation) → silver → gold. */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    /** Held while a job checks whether a dimension is cached and caches it. */
    private static final Object CACHING = new Object();
    public static final String REJECTS = "bronze.rejects";
    public static final String SILVER_REJECTS = "silver.rejects";
    public static final String INGEST_FILES = "ops.ingest_files";
    public static final String RUN_LOG = "ops.run_log";
    /**
     * silver.rejects' column with the refused row's key in its job's table: a job rebuilt by key replaces only the
     * refusals of its keys, so it must name them (null for jobs that always rebuild whole).
     */
    public static final String REJECT_KEY = "key";

    static final StructType RUN_LOG_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType)
            .add("job", DataTypes.StringType)
            .add("date_from", DataTypes.DateType)
            .add("date_to", DataTypes.DateType)
            .add("rows_in", DataTypes.LongType)
            .add("rows_out", DataTypes.LongType)
            .add("rows_rejected", DataTypes.LongType)
            .add("duration_ms", DataTypes.LongType)
            .add("status", DataTypes.StringType)
            .add("message", DataTypes.StringType)
            .add("delta_version", DataTypes.LongType)
            .add("started_at", DataTypes.TimestampType)
            // full | by_key | skipped: what the run did, and the input versions it built from (the next run's start).
            .add("mode", DataTypes.StringType)
            .add("input_versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
            // The data files the job's scans read (bytes kept after Delta's pruning, rows scanned; see ReadMetrics):
            // a night should read the day, not the history.
            .add("read_bytes", DataTypes.LongType)
            .add("read_rows", DataTypes.LongType);

    private final SparkSession spark;
    private final DeltaTables tables;
    private final JobGraph graph;

    public Pipeline(SparkSession spark, DeltaTables tables, JobGraph graph) {
        this.spark = spark;
        this.tables = tables;
        this.graph = graph;
    }

    /** The rows a silver or gold job refused this run, and the keys they replace (null: all of the job's). */
    private record Refused(Dataset<Row> rows, java.util.Set<String> keys) {
    }

    /** What one job did, kept until the run reports jobs in graph order. */
    private record Outcome(Long rows, Long rejected, long ms, Long version, List<String> notes, String status,
                           String message, long start, String mode, Map<String, Long> inputVersions) {
    }

    /**
     * Runs the graph wave by wave (the jobs of a wave are independent and run concurrently, up to
     * {@code jobParallelism}); a failed gate stops the run after its wave with the table, check and sample keys.
     */
    public RunReport run(RunContext ctx) {
        // Before anything is read: a second run over the same warehouse must fail here, not half-way.
        try (RunLock lock = RunLock.acquire(spark.sparkContext().hadoopConfiguration(), ctx.cfg().warehouseRoot,
                ctx.runId(), ctx.from() + ".." + ctx.to())) {
            return runLocked(ctx);
        }
    }

    private RunReport runLocked(RunContext ctx) {
        boolean withBronze = graph.ordered().stream().anyMatch(j -> j instanceof BronzeJob);
        boolean withSilver = graph.ordered().stream().anyMatch(j -> JobGraph.layerOf(j.output()).equals("silver"));
        LandingCheck.Result landing = withBronze ? LandingCheck.check(spark.sparkContext().hadoopConfiguration(),
                ctx.cfg(), LandingSchemas.all().stream().map(sc -> sc.source).distinct().toList(), ctx.from(), ctx.to())
                : new LandingCheck.Result(Map.of());
        List<LandingFile> files = withBronze ? LandingReader.list(spark, ctx.cfg().landingRoot, LandingSchemas.all(),
                ctx.from(), ctx.to()) : List.of();
        LOG.info("run {}: {} landing files for {}..{}", ctx.runId(), files.size(), ctx.from(), ctx.to());
        long readStart = System.currentTimeMillis();
        Dataset<Row> lines = LandingReader.readLines(spark, files).persist(StorageLevel.MEMORY_AND_DISK());
        LOG.info("read {} lines from {} files in {} ms", lines.count(), files.size(),
                System.currentTimeMillis() - readStart);
        RunReport report = new RunReport(ctx);
        Map<String, JobState> consumed = ctx.fullRefresh() || !tables.exists(RUN_LOG) ? Map.of()
                : JobState.consumed(tables.read(RUN_LOG));
        List<Row> log = new ArrayList<>();
        if (landing.partial()) {
            report.partial(landing.message());
            log.add(logRow(ctx, "landing", null, null, null, 0, "partial", landing.message(), null,
                    System.currentTimeMillis(), null, null, null));
        }
        List<Dataset<Row>> bronzeRejects = Collections.synchronizedList(new ArrayList<>());
        List<Dataset<Row>> loadedPerFile = Collections.synchronizedList(new ArrayList<>());
        Map<String, Refused> silverRejects = new ConcurrentHashMap<>();
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(ctx.cfg().jobParallelism);
        boolean bronzeDone = !withBronze;
        boolean completed = false;
        Exception rejectsFailure = null;
        ReadMetrics reads = ReadMetrics.start(spark.sparkContext(), ctx.runId());
        try {
            for (List<Job> wave : graph.waves()) {
                if (!bronzeDone && wave.stream().noneMatch(j -> j instanceof BronzeJob)) {
                    finishBronze(ctx, lines, bronzeRejects, loadedPerFile, report, log);
                    bronzeDone = true;
                }
                List<Future<?>> running = new ArrayList<>();
                for (Job job : wave) {
                    running.add(pool.submit(() -> runJob(job, ctx, lines, outcomes, bronzeRejects, loadedPerFile,
                            silverRejects, consumed.getOrDefault(job.output(), JobState.NEVER))));
                }
                RuntimeException failure = null;
                for (Future<?> f : running) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        if (failure == null) {
                            failure = e.getCause() instanceof RuntimeException r ? r
                                    : new RuntimeException(e.getCause());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("run interrupted", e);
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }
            if (!bronzeDone) {
                finishBronze(ctx, lines, bronzeRejects, loadedPerFile, report, log);
            }
            completed = true;
            return report;
        } finally {
            pool.shutdownNow();
            // Also when a later job failed: the jobs that finished are logged as succeeded, so the next run skips
            // them and would never write the rows they refused this time.
            if (withSilver || !silverRejects.isEmpty()) {
                try {
                    writeSilverRejects(silverRejects, report);
                } catch (Exception e) {
                    rejectsFailure = e;
                    String why = "its refused rows could not be written to " + SILVER_REJECTS + ": " + e.getMessage();
                    // Logged as failed, the next run rebuilds them from the versions they last built from.
                    silverRejects.keySet().forEach(j -> outcomes.computeIfPresent(j, (k, o) -> new Outcome(null, null,
                            o.ms(), null, List.of(), "failed", why, o.start(), null, null)));
                }
            }
            Map<String, ReadMetrics.Read> read = reads.reads();
            reads.close();
            for (Job job : graph.ordered()) {
                Outcome o = outcomes.get(job.output());
                if (o == null) {
                    continue;
                }
                if (o.status().equals("skipped")) {
                    report.skipped(job.output(), o.ms(), o.message());
                } else if (!o.status().equals("failed")) {
                    report.job(job.output(), o.rows(), o.rejected(), o.ms(), o.version(), o.notes());
                }
                log.add(logRow(ctx, job.output(), null, o.rows(), o.rejected(), o.ms(), o.status(), o.message(),
                        o.version(), o.start(), o.mode(), o.inputVersions(),
                        read.getOrDefault(job.output(), ReadMetrics.NOTHING)));
            }
            if (!log.isEmpty()) {
                tables.append(RUN_LOG, spark.createDataFrame(log, RUN_LOG_SCHEMA));
            }
            lines.unpersist();
            spark.catalog().clearCache();
            if (completed && rejectsFailure != null) {
                throw rejectsFailure instanceof RuntimeException r ? r
                        : new IllegalStateException("writing " + SILVER_REJECTS + " failed", rejectsFailure);
            }
        }
    }

    /**
     * Caches an input table's version for the job, unless another job holds it meanwhile: that job's copy is then
     * read, and jobs starting together must not both cache it.
     */
    private static void holdWhole(Dataset<Row> table, List<Dataset<Row>> held) {
        synchronized (CACHING) {
            if (table.storageLevel().equals(StorageLevel.NONE())) {
                held.add(table.persist(StorageLevel.MEMORY_AND_DISK()));
            }
        }
    }

    private void runJob(Job job, RunContext ctx, Dataset<Row> lines, Map<String, Outcome> outcomes,
                        List<Dataset<Row>> bronzeRejects, List<Dataset<Row>> loadedPerFile,
                        Map<String, Refused> silverRejects, JobState consumed) {
        boolean bronze = job instanceof BronzeJob;
        long start = System.currentTimeMillis();
        Map<String, Long> versions = new java.util.TreeMap<>();
        List<Dataset<Row>> held = new ArrayList<>();
        // The Spark UI and event log then say which table each Spark job was for (the pool's threads are reused).
        spark.sparkContext().setJobGroup(job.output(), job.output() + " (run " + ctx.runId() + ")", false);
        spark.sparkContext().setLocalProperty(ReadMetrics.RUN_PROPERTY, ctx.runId());
        try {
            Map<String, Dataset<Row>> inputs = new HashMap<>();
            for (String in : job.inputs()) {
                if (in.startsWith("landing.")) {
                    inputs.put(in, lines.filter(col("source").equalTo(in.substring(8))));
                } else {
                    long v = tables.latestVersion(in);
                    if (v < 0) {
                        throw new IllegalStateException(job.output() + " needs " + in + ", which does not exist at "
                                + tables.path(in) + ": run its layer first");
                    }
                    versions.put(in, v);
                    inputs.put(in, tables.readAt(in, v));
                }
            }
            Long builtFrom = bronze || !versions.isEmpty() ? null : Release.fingerprint(job.configuration(ctx));
            if (builtFrom != null) {
                versions.put(Scope.BUILT_FROM, builtFrom);
            }
            Map<String, Incremental.Rule> rules = job.incremental().rules();
            if (!bronze && job.incremental().entity() != null) {
                // The inputs read through an entity are read whole by the plan several times (the entities the run
                // date reaches, the keys they feed now, the keys feeding the scope) and once more by the build.
                rules.forEach((in, rule) -> {
                    if (rule instanceof Incremental.Rule.ViaEntity && inputs.containsKey(in)) {
                        holdWhole(inputs.get(in), held);
                    }
                });
            }
            Scope scope = bronze ? Scope.FULL : Scope.plan(job, ctx, tables, consumed, versions, inputs);
            if (scope.skip()) {
                outcomes.put(job.output(), new Outcome(null, null, System.currentTimeMillis() - start, null,
                        List.of(scope.reason()), "skipped", scope.reason(), start, "skipped", versions));
                return;
            }
            Map<String, Dataset<Row>> scoped = new HashMap<>(scope.restrict(inputs));
            // The rows cut down to the keys are read once: finding them scans the whole input when the keys are
            // spread over its files, and the build and the gates' reconciliations would each scan it again.
            // So are the dimensions a foreign key refers to: the build looks keys up in them and the gates check
            // the keys against them again. They are small, and a fact rebuilt by key would otherwise read each
            // whole twice. Not those the build ignores (dim_date: keys are computed): the gates read only the
            // range of keys built, which a cache of the whole table would read whole. And so are the tables a job
            // looks its rows up in (Rule.ViaInput: the daily FX rates of a staging job), read whole: a build with
            // refusals derives its rows and its refusals from the same join, which would read them twice.
            Set<String> readWhole = Stream.concat(job.foreignKeys().stream().map(Job.ForeignKey::dimension)
                            .filter(d -> !(rules.get(d) instanceof Incremental.Rule.Ignore)),
                    rules.entrySet().stream().filter(r -> r.getValue() instanceof Incremental.Rule.ViaInput)
                            .map(Map.Entry::getKey))
                    .collect(Collectors.toSet());
            scoped.forEach((in, cut) -> {
                if (cut != inputs.get(in)) {
                    held.add(cut.persist(StorageLevel.MEMORY_AND_DISK()));
                } else if (readWhole.contains(in)) {
                    holdWhole(cut, held);
                }
            });
            Built built = job.build(scoped, ctx);
            Dataset<Row> rows = TableSchemas.withComments(job.output(), scope.keep(built.rows()))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            Gates.Result gated = Gates.check(job, rows, scoped);
            if (scope.writeOnlyIfChanged() && DeltaTables.sameRows(rows, tables.read(job.output()))) {
                rows.unpersist();
                String why = "skipped: built from configuration alone, same rows as the table";
                outcomes.put(job.output(), new Outcome(gated.rows(), null, System.currentTimeMillis() - start, null,
                        List.of(why), "skipped", why, start, "skipped", versions));
                return;
            }
            Long version;
            List<String> notes = new ArrayList<>();
            if (scope.keys() != null) {
                long written = tables.replaceKeys(job.output(), rows, scope.key(), scope.keys(), job.partitionBy(),
                        scope.since());
                version = written == DeltaTables.NOTHING_WRITTEN ? null : written;
                if (version == null) {
                    notes.add("the keys' rows came out the same: nothing written");
                }
            } else if (job.replaceDateColumn() != null) {
                version = tables.replaceRange(job.output(), rows, job.replaceDateColumn(), ctx.from(), ctx.to(),
                        job.partitionBy());
            } else if (scope.writeOnlyChangedRows() && Arrays.asList(tables.read(job.output()).columns())
                    .equals(Arrays.asList(rows.columns()))) {
                long written = tables.replaceChangedRows(job.output(), rows);
                version = written == DeltaTables.NOTHING_WRITTEN ? null : written;
                if (version == null) {
                    notes.add("the rows came out the same: nothing written");
                }
            } else {
                version = tables.overwrite(job.output(), rows, job.partitionBy());
            }
            Long rejected = null;
            if (built.rejects() != null) {
                Dataset<Row> rj = built.rejects();
                boolean keyed = Arrays.asList(rj.columns()).contains(REJECT_KEY);
                if (scope.keys() != null) {
                    if (!keyed) {
                        throw new IllegalStateException(job.output() + " refuses rows without naming their key ("
                                + REJECT_KEY + "), so it cannot be rebuilt by key");
                    }
                    // As for its rows (Scope.keep): only the keys being replaced.
                    rj = rj.filter(col(REJECT_KEY).isin(scope.keys().toArray()));
                } else if (!bronze && !keyed) {
                    rj = rj.withColumn(REJECT_KEY, lit(null).cast("string"));
                }
                rj = rj.persist(StorageLevel.MEMORY_AND_DISK());
                rejected = rj.count();
                if (bronze) {
                    bronzeRejects.add(rj);
                } else {
                    silverRejects.put(job.output(), new Refused(rj, scope.keys()));
                }
            }
            if (bronze) {
                loadedPerFile.add(rows.groupBy(col("_file").as("file")).agg(count(lit(1)).as("loaded")));
            } else {
                rows.unpersist();
            }
            notes.addAll(gated.notes());
            if (scope.reason() != null) {
                notes.add(0, scope.reason());
            }
            outcomes.put(job.output(), new Outcome(gated.rows(), rejected, System.currentTimeMillis() - start, version,
                    notes, "succeeded", notes.isEmpty() ? null : String.join("; ", notes), start, scope.mode(),
                    versions));
        } catch (Exception e) {
            // Not RuntimeException alone: a failed Spark stage is a SparkException, checked though undeclared.
            outcomes.put(job.output(), new Outcome(null, null, System.currentTimeMillis() - start, null, List.of(),
                    "failed", e.getMessage(), start, null, null));
            throw e;
        } finally {
            held.forEach(Dataset::unpersist);
            spark.sparkContext().clearJobGroup();
            spark.sparkContext().setLocalProperty(ReadMetrics.RUN_PROPERTY, null);
        }
    }

    /** Writes bronze.rejects and the per-file reconciliation, and fails the run if any file does not add up. */
    private void finishBronze(RunContext ctx, Dataset<Row> lines, List<Dataset<Row>> rejects,
                              List<Dataset<Row>> loaded, RunReport report, List<Row> log) {
        long start = System.currentTimeMillis();
        // Files whose name matches no schema have no bronze job: they are rejected here, as files.
        Dataset<Row> unknown = lines.filter(col("schema").isNull())
                .select(BronzeValidation.rejectRow(ctx.runId(), col("source"), lit("unknown"), col("file"),
                        col("line"), col("raw"), coalesce(col("file_error"), lit("unexpected file")), col("dt")));
        Dataset<Row> allRejects = rejects.stream().reduce(unknown, Dataset::unionByName)
                .persist(StorageLevel.MEMORY_AND_DISK());
        long version = tables.replaceRange(REJECTS, allRejects, "_dt", ctx.from(), ctx.to(), List.of("_dt"));
        long rejectedRows = allRejects.count();
        log.add(logRow(ctx, REJECTS, null, rejectedRows, null, System.currentTimeMillis() - start, "succeeded", null,
                version, start, "full", null, null));

        Dataset<Row> in = lines.groupBy("file").agg(
                first("source").as("source"), first("schema").as("object"), first("dt").as("_dt"),
                sum(when(col("line").isNotNull(), 1).otherwise(0)).cast("long").as("rows_in"),
                first("file_error", true).as("file_error"));
        Dataset<Row> ld = loaded.stream().reduce(Dataset::unionByName)
                .orElse(spark.createDataFrame(List.of(), new StructType().add("file", "string").add("loaded", "long")));
        Dataset<Row> rj = allRejects.filter(col("line").isNotNull()).groupBy("file").agg(count(lit(1)).as("rejected"));
        Dataset<Row> files = in.join(ld, "file", "left")
                .join(rj, "file", "left")
                .select(lit(ctx.runId()).as("run_id"), col("source"), coalesce(col("object"), lit("unknown")).as("object"),
                        col("file"), col("_dt"), col("rows_in"),
                        coalesce(col("loaded"), lit(0L)).as("rows_loaded"),
                        coalesce(col("rejected"), lit(0L)).as("rows_rejected"),
                        when(col("file_error").isNull(), lit("ok"))
                                .otherwise(concat(lit("rejected: "), col("file_error"))).as("file_status"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        tables.replaceRange(INGEST_FILES, files, "_dt", ctx.from(), ctx.to(), List.of());
        List<Row> perFile = files.orderBy("source", "file").collectAsList();
        report.files(perFile);
        Gates.reconcile(perFile);
    }

    private static Row logRow(RunContext ctx, String job, Long in, Long out, Long rejected, long ms, String status,
                              String message, Long version, long startMillis, String mode,
                              Map<String, Long> inputVersions, ReadMetrics.Read read) {
        return RowFactory.create(ctx.runId(), job, Date.valueOf(ctx.from()), Date.valueOf(ctx.to()), in, out, rejected,
                ms, status, message, version, Timestamp.from(Instant.ofEpochMilli(startMillis)), mode,
                inputVersions == null ? null : scala.collection.JavaConverters.mapAsScalaMap(inputVersions),
                read == null ? null : read.bytes(), read == null ? null : read.rows());
    }

    /**
     * silver.rejects holds, per job, the rows it refused when it last built them: a job rebuilt whole replaces its
     * own rejects, one rebuilt by key those of its keys, a skipped job keeps them.
     */
    private void writeSilverRejects(Map<String, Refused> byJob, RunReport report) {
        if (!byJob.isEmpty()) {
            Dataset<Row> rows = byJob.entrySet().stream()
                    .map(e -> e.getValue().rows().withColumn("job", lit(e.getKey())))
                    .reduce(Dataset::unionByName).orElseThrow();
            String replaced = byJob.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> "(job IN " + DeltaTables.sqlList(List.of(e.getKey())) + (e.getValue().keys() == null
                            ? "" : " AND `" + REJECT_KEY + "` IN " + DeltaTables.sqlList(e.getValue().keys())) + ")")
                    .collect(java.util.stream.Collectors.joining(" OR "));
            List<String> columns = tables.exists(SILVER_REJECTS) ? Arrays.asList(tables.read(SILVER_REJECTS).columns())
                    : List.of();
            if (columns.contains("job")) {
                if (!columns.contains(REJECT_KEY)) {
                    // Tables written before rebuilds by key named no keys: their refusals are of whole-table jobs.
                    tables.addColumn(SILVER_REJECTS, REJECT_KEY, "STRING");
                }
                tables.replaceWhere(SILVER_REJECTS, rows, replaced);
            } else {
                tables.overwrite(SILVER_REJECTS, rows, List.of());
            }
        }
        if (tables.exists(SILVER_REJECTS)) {
            report.silverRejected(tables.read(SILVER_REJECTS).count());
        }
    }
}
