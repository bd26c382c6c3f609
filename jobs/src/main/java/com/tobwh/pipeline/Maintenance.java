package com.tobwh.pipeline;

import com.tobwh.config.WarehouseConfig;
import com.tobwh.io.DeltaTables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/** Delta upkeep of warehouse tables: OPTIMIZE (Z-ORDER BY each job's columns) and VACUUM, logged in ops.run_log. */
public final class Maintenance {
    /** Delta keeps min/max statistics on a table's first 32 columns only, and Z-ordering is useless without them. */
    static final int STATS_COLUMNS = 32;
    /** Prefix of a maintenance row's job in ops.run_log: {@code maintain:gold.fct_orders}. */
    public static final String JOB_PREFIX = "maintain:";
    private static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
    private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
    /** Commits looked at to find the last change that was not a VACUUM's own audit commit. */
    private static final int HISTORY_LOOK_BACK = 20;

    /** One table and the columns its files are clustered by (empty: plain compaction). */
    public record Target(String table, List<String> zorderBy) {
        public Target {
            zorderBy = List.copyOf(zorderBy);
        }
    }

    /**
     * What maintenance did to one table. Status is succeeded, failed, or absent (not built yet: nothing done, nothing
     * logged); the counts of a step that did not run are null.
     */
    public record Result(String table, String status, Long filesBefore, Long filesAfter, String optimized,
                         Long vacuumedFiles, Long vacuumedBytes, long startedAt, long ms, Long version,
                         String error) {
        /** The message ops.run_log keeps for the table. */
        public String summary() {
            if (error != null) {
                return error;
            }
            List<String> parts = new ArrayList<>();
            if (optimized != null) {
                parts.add("optimize: " + optimized + ", " + filesBefore + " -> " + filesAfter + " files");
            }
            if (vacuumedFiles != null) {
                parts.add("vacuum: deleted " + vacuumedFiles + " files, " + bytes(vacuumedBytes));
            }
            return String.join("; ", parts);
        }
    }

    private final SparkSession spark;
    private final DeltaTables tables;
    private final WarehouseConfig cfg;

    public Maintenance(SparkSession spark, DeltaTables tables, WarehouseConfig cfg) {
        this.spark = spark;
        this.tables = tables;
        this.cfg = cfg;
    }

    /** Every table a run of {@code graph} writes: its jobs' outputs with their Z-order columns, rejects and audit. */
    public static List<Target> targets(JobGraph graph) {
        List<Target> out = new ArrayList<>();
        graph.ordered().forEach(j -> out.add(new Target(j.output(), j.zorderBy())));
        List<String> layers = graph.layers();
        if (layers.contains("bronze")) {
            out.add(new Target(Pipeline.REJECTS, List.of()));
            out.add(new Target(Pipeline.INGEST_FILES, List.of()));
        }
        if (layers.contains("silver")) {
            out.add(new Target(Pipeline.SILVER_REJECTS, List.of()));
        }
        out.add(new Target(Pipeline.RUN_LOG, List.of()));
        return out;
    }

    /** The targets named, in the order given; a name that is not among them is refused with the list of valid ones. */
    public static List<Target> select(List<Target> targets, List<String> names) {
        Map<String, Target> byTable = new LinkedHashMap<>();
        targets.forEach(t -> byTable.put(t.table(), t));
        List<Target> out = new ArrayList<>();
        for (String name : names) {
            Target t = byTable.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no table " + name + " to maintain; tables are "
                        + String.join(", ", byTable.keySet()));
            }
            out.add(t);
        }
        return out;
    }

    /**
     * What is wrong with Z-ordering {@code table} by {@code zorderBy}, given its columns in order and its partition
     * columns; empty when nothing is.
     */
    public static List<String> zorderProblems(String table, List<String> zorderBy, List<String> columns,
                                              List<String> partitionBy) {
        List<String> out = new ArrayList<>();
        for (String c : zorderBy) {
            if (partitionBy.contains(c)) {
                out.add(table + ": zorderBy column '" + c + "' is a partition column (partitioned by " + partitionBy
                        + "); Z-order clusters rows inside each partition, so Delta only accepts data columns");
            } else if (!columns.contains(c)) {
                out.add(table + ": zorderBy column '" + c + "' is not a column of the table (columns: "
                        + String.join(", ", columns) + ")");
            } else if (columns.indexOf(c) >= STATS_COLUMNS) {
                out.add(table + ": zorderBy column '" + c + "' is column " + (columns.indexOf(c) + 1) + "; Delta "
                        + "keeps file statistics on the first " + STATS_COLUMNS + " columns only, so Z-ordering by it "
                        + "would skip nothing");
            }
        }
        return out;
    }

    /**
     * Optimizes and/or vacuums every target that exists, {@code jobParallelism} tables at a time, and appends one row
     * per table ({@code maintain:<table>}) to ops.run_log under {@code runId}. A wrong Z-order declaration or a too
     * short retention stops it before any table is touched; a failure on one table is reported and logged without
     * stopping the others.
     */
    public List<Result> run(List<Target> targets, boolean optimize, boolean vacuum, String runId) {
        if (vacuum) {
            cfg.checkVacuumRetention();
        }
        List<Target> present = targets.stream().filter(t -> tables.exists(t.table())).toList();
        if (optimize) {
            refuseWrongZOrders(present);
        }
        Map<String, Result> done = new LinkedHashMap<>();
        Map<String, String> confBefore = setBatchConf(vacuum);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(cfg.jobParallelism,
                present.size())));
        try {
            List<Future<Result>> running = new ArrayList<>();
            for (Target t : present) {
                running.add(pool.submit(() -> maintain(t, optimize, vacuum)));
            }
            for (Future<Result> f : running) {
                Result r = f.get();
                done.put(r.table(), r);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("maintenance interrupted", e);
        } finally {
            pool.shutdownNow();
            restoreConf(confBefore);
            log(runId, done.values());
        }
        return targets.stream().map(t -> done.getOrDefault(t.table(), new Result(t.table(), "absent", null, null,
                null, null, null, 0, 0, null, null))).toList();
    }

    /** Checks every declaration against the table as it is, so that a wrong one stops the batch before it starts. */
    private void refuseWrongZOrders(List<Target> present) {
        List<String> problems = new ArrayList<>();
        for (Target t : present) {
            if (!t.zorderBy().isEmpty()) {
                DeltaTables.Detail d = tables.detail(t.table());
                problems.addAll(zorderProblems(t.table(), t.zorderBy(), d.columns(), d.partitionColumns()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("refusing to optimize: " + String.join("; ", problems));
        }
    }

    /** Session settings for the batch; returns the values they replace (null: unset) for {@link #restoreConf}. */
    private Map<String, String> setBatchConf(boolean vacuum) {
        Map<String, String> batch = new LinkedHashMap<>();
        // VACUUM lists a table with this many tasks per directory level (10,000 by default): thousands of empty tasks
        // for warehouse-sized tables. The shuffle partitions are the config's measure of the data.
        batch.put(LISTING_PARALLELISM, String.valueOf(cfg.shufflePartitions));
        if (vacuum && cfg.vacuumRetentionHours < WarehouseConfig.DELTA_SAFE_RETENTION_HOURS) {
            // Delta's own guard against short retentions: the config has already allowed it (checkVacuumRetention).
            batch.put(RETENTION_CHECK, "false");
        }
        Map<String, String> before = new LinkedHashMap<>();
        batch.forEach((k, v) -> {
            before.put(k, spark.conf().get(k, null));
            spark.conf().set(k, v);
        });
        return before;
    }

    /** The batch's settings hold for the batch only: the session may go on to run other work. */
    private void restoreConf(Map<String, String> before) {
        before.forEach((k, v) -> {
            if (v == null) {
                spark.conf().unset(k);
            } else {
                spark.conf().set(k, v);
            }
        });
    }

    private Result maintain(Target t, boolean optimize, boolean vacuum) {
        long start = System.currentTimeMillis();
        Long before = null;
        Long after = null;
        String optimized = null;
        try {
            before = tables.detail(t.table()).numFiles();
            if (optimize) {
                optimized = optimize(t);
            }
            after = tables.detail(t.table()).numFiles();
            DeltaTables.Vacuumed v = vacuum ? tables.vacuum(t.table(), cfg.vacuumRetentionHours) : null;
            return new Result(t.table(), "succeeded", before, after, optimized, v == null ? null : v.files(),
                    v == null ? null : v.bytes(), start, System.currentTimeMillis() - start,
                    tables.currentVersion(t.table()), null);
        } catch (Exception e) {
            return new Result(t.table(), "failed", before, after, optimized, null, null, start,
                    System.currentTimeMillis() - start, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Z-orders or compacts the table, unless its last change already was an OPTIMIZE by the same columns. */
    private String optimize(Target t) {
        String how = t.zorderBy().isEmpty() ? "compaction" : "z-order (" + String.join(", ", t.zorderBy()) + ")";
        DeltaTables.Change last = tables.lastChange(t.table(), HISTORY_LOOK_BACK);
        // Z-ordering rewrites every file, even one already in order: skip it when nothing was written since.
        if (last != null && last.operation().equals("OPTIMIZE")
                && zorderParameter(t.zorderBy()).equals(last.parameters().get("zOrderBy"))) {
            return how + " skipped, unchanged since v" + last.version();
        }
        DeltaTables.Optimized o = tables.optimize(t.table(), t.zorderBy());
        return o.filesRemoved() == 0 ? how + ", nothing to rewrite" : how;
    }

    /** The zOrderBy parameter Delta writes into an OPTIMIZE commit: a JSON array of the column names. */
    private static String zorderParameter(List<String> columns) {
        return columns.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    private void log(String runId, java.util.Collection<Result> results) {
        List<Row> rows = new ArrayList<>();
        for (Result r : results) {
            rows.add(RowFactory.create(runId, JOB_PREFIX + r.table(), null, null, null, null, null, r.ms(),
                    r.status(), r.summary(), r.version(), new Timestamp(r.startedAt()), "maintain", null, null, null));
        }
        if (!rows.isEmpty()) {
            tables.append(Pipeline.RUN_LOG, spark.createDataFrame(rows, Pipeline.RUN_LOG_SCHEMA));
        }
    }

    /** One line per table: files before and after, what OPTIMIZE did, what VACUUM deleted, seconds. */
    public static String text(List<Result> results, WarehouseConfig cfg) {
        boolean vacuumed = results.stream().anyMatch(r -> r.vacuumedFiles() != null);
        StringBuilder b = new StringBuilder(vacuumed ? String.format("Maintenance (VACUUM retention %d h):%n",
                cfg.vacuumRetentionHours) : String.format("Maintenance:%n"));
        b.append(String.format("  %-40s %7s %7s  %-60s %-20s %7s%n", "table", "files", "after", "optimize",
                "vacuum deleted", "time"));
        for (Result r : results) {
            switch (r.status()) {
                case "absent" -> b.append(String.format("  %-40s not built yet%n", r.table()));
                case "failed" -> b.append(String.format("  %-40s FAILED: %s%n", r.table(), r.error()));
                default -> b.append(String.format("  %-40s %7d %7d  %-60s %-20s %6.1fs%n", r.table(),
                        r.filesBefore(), r.filesAfter(), r.optimized() == null ? "-" : r.optimized(),
                        r.vacuumedFiles() == null ? "-" : r.vacuumedFiles() + " files, " + bytes(r.vacuumedBytes()),
                        r.ms() / 1000.0));
            }
        }
        return b.toString();
    }

    private static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format("%.1f GB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format("%.1f MB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format("%.1f KB", n / (double) (1L << 10));
        }
        return n + " B";
    }
}
